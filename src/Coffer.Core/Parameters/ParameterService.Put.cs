using System.Text;
using System.Text.RegularExpressions;
using Coffer.Core.Kms;
using Coffer.Core.Storage;

namespace Coffer.Core.Parameters;

public sealed record PutParameterResult(long Version, string Tier);

public sealed partial class ParameterService
{
    public const int MaxVersions = 100;

    /// <summary>AWS's quotas per account and Region: 10,000 standard parameters, 100,000 advanced ones.</summary>
    public const int DefaultStandardQuota = 10_000;

    public const int DefaultAdvancedQuota = 100_000;
    private const int StandardValueBytes = 4 * 1024;
    private const int AdvancedValueBytes = 8 * 1024;

    /// <summary>What a put makes of the request and the parameter as it is: checked, with nothing written yet.</summary>
    private sealed record PutPlan(string Type, string Tier, string? KeyId, string? Description, string? AllowedPattern, string DataType, IReadOnlyList<ParameterPolicy> Policies);

    public async Task<PutParameterResult> PutParameterAsync(Call call, PutParameterInput input, CancellationToken ct)
    {
        var name = ParameterNames.ValidateForWrite(input.Name, call.Region, call.AccountId);
        var arn = Arn(call, name);
        await AuthorizeAsync(call, "ssm:PutParameter", arn, ct);
        ValidateRequest(input);
        var policies = input.Policies is null ? null : ParameterPolicies.Parse(input.Policies, time.GetUtcNow());

        // x and /x are one parameter: an update keeps the spelling it was created with.
        var existing = await store.ReadAsync((s, ct) => FindByNameAsync(s, call, name, ct), ct);
        name = existing?.Name ?? name;
        if (existing is null && input.Tier is null && await DefaultTierAsync(call, ct) is { } defaultTier)
        {
            // The account's default-parameter-tier service setting applies to new parameters given no tier.
            input = input with { Tier = defaultTier };
        }

        var plan = Plan(input, policies, existing);

        // Encrypt before the write job: the writer must not wait on KMS. The ciphertext is bound to
        // the ARN, not to a version, so it stays right whichever version the write gives it.
        var ciphertext = plan.Type == ParameterTypes.SecureString ? await EncryptAsync(call, arn, plan.KeyId!, input.Value, ct) : null;

        return await audit.WriteChangeAsync(call, async (s, ct) =>
        {
            var current = await FindByNameAsync(s, call, name, ct);
            if (current is not null && current.Name != name)
            {
                // Created under the other spelling since our read.
                throw SsmErrors.TooManyUpdates();
            }

            var checkedPlan = Plan(input, policies, current);
            if (checkedPlan.Type != plan.Type || checkedPlan.KeyId != plan.KeyId)
            {
                // The parameter changed type or key between our read and the write: the value was
                // encrypted for the parameter as it was. AWS's answer to racing updates.
                throw SsmErrors.TooManyUpdates();
            }

            if (current is null && await s.Parameters.CountInTierAsync(call.AccountId, call.Region, checkedPlan.Tier, ct) >= QuotaOf(checkedPlan.Tier))
            {
                throw SsmErrors.ParameterLimitExceeded();
            }

            var version = new ParameterVersion
            {
                Name = name,
                Version = (current?.Current.Version ?? 0) + 1,
                Type = checkedPlan.Type,
                Value = ciphertext is null ? input.Value : null,
                Ciphertext = ciphertext,
                KeyId = checkedPlan.KeyId,
                Description = checkedPlan.Description,
                AllowedPattern = checkedPlan.AllowedPattern,
                Tier = checkedPlan.Tier,
                DataType = checkedPlan.DataType,
                Policies = checkedPlan.Policies,
                LastModifiedDate = time.GetUtcNow(),
                LastModifiedUser = call.Principal.Arn,
            };
            if (current is not null)
            {
                await MakeRoomForVersionAsync(s, current, ct);
            }

            await s.Parameters.InsertVersionAsync(call.AccountId, call.Region, version, ct);
            await s.Parameters.SaveAsync(new Parameter
            {
                AccountId = call.AccountId,
                Region = call.Region,
                Current = version,
                Tags = current?.Tags ?? input.Tags ?? [],
                ResourcePolicies = current?.ResourcePolicies ?? [],
            }, ct);
            await s.Events.AppendAsync(ChangeEvent(call, current is null ? "Create" : "Update", arn, version), ct);
            return new PutParameterResult(version.Version, version.Tier);
        }, ct);
    }

    /// <summary>How many parameters of the tier an account may have in a Region (issue 13); tests lower them.</summary>
    public int StandardQuota { get; set; } = DefaultStandardQuota;

    public int AdvancedQuota { get; set; } = DefaultAdvancedQuota;

    private int QuotaOf(string tier) => tier == ParameterTiers.Advanced ? AdvancedQuota : StandardQuota;

    /// <summary>Keeps the newest <see cref="MaxVersions"/> versions: the oldest goes, unless a label holds it.</summary>
    private static async ValueTask MakeRoomForVersionAsync(IStoreSession s, Parameter current, CancellationToken ct)
    {
        var oldest = await s.Parameters.OldestVersionAsync(current.AccountId, current.Region, current.Name, ct);
        if (current.Current.Version - oldest + 1 < MaxVersions)
        {
            return;
        }

        if ((await s.Parameters.ListLabelsAsync(current.AccountId, current.Region, current.Name, ct)).Values.Contains(oldest))
        {
            throw SsmErrors.MaxVersionLimitExceeded(current.Name, oldest);
        }

        await s.Parameters.DeleteVersionAsync(current.AccountId, current.Region, current.Name, oldest, ct);
    }

    /// <summary>Checks that need nothing but the request.</summary>
    private static void ValidateRequest(PutParameterInput input)
    {
        if (input.Value.Length == 0)
        {
            // The model drops Value's minimum length; the service still enforces it (issue 13).
            throw SsmErrors.EmptyValue();
        }

        if (input.Overwrite && input.Tags is { Count: > 0 })
        {
            throw SsmErrors.Validation("Invalid request: tags and overwrite can't be used together. To create a parameter with tags, please remove overwrite flag. To update tags for an existing parameter, please use AddTagsToResource or RemoveTagsFromResource.");
        }

        if (input.Value.Contains("{{", StringComparison.Ordinal) && input.Value.Contains("}}", StringComparison.Ordinal))
        {
            throw SsmErrors.Validation("Parameter value can't nest another parameter. Do not use \"{{}}\" in the value.");
        }

        if (Encoding.UTF8.GetByteCount(input.Value) > AdvancedValueBytes)
        {
            throw SsmErrors.Validation($"Parameters can have a value of at most {AdvancedValueBytes} bytes (advanced tier).");
        }

        if (input.DataType is not (null or ParameterDataTypes.Text or ParameterDataTypes.Ec2Image))
        {
            throw SsmErrors.UnsupportedDataType(input.DataType);
        }

        if (input.AllowedPattern is { } pattern)
        {
            try
            {
                _ = new Regex(pattern, RegexOptions.None, TimeSpan.FromMilliseconds(100));
            }
            catch (ArgumentException)
            {
                throw SsmErrors.InvalidAllowedPattern("The request doesn't meet the regular expression requirement: AllowedPattern is not a valid regular expression.");
            }
        }

        if (input.Tags is { } tags)
        {
            ResourceTags.Validate(tags, tags, SsmErrors.Validation, SsmErrors.TooManyTags);
        }
    }

    /// <summary>Decides type, tier, key, description, pattern and policies from the request and the parameter as it is.</summary>
    private static PutPlan Plan(PutParameterInput input, IReadOnlyList<ParameterPolicy>? policies, Parameter? existing)
    {
        var current = existing?.Current;
        if (current is not null && !input.Overwrite)
        {
            throw SsmErrors.AlreadyExists();
        }

        var type = input.Type ?? current?.Type ?? throw SsmErrors.Validation("A parameter type is required when you create a parameter.");
        if (current is not null && type != current.Type && (type == ParameterTypes.SecureString || current.IsSecure))
        {
            throw SsmErrors.HierarchyTypeMismatch(current.Type, type);
        }

        if (input.KeyId is not null && type != ParameterTypes.SecureString)
        {
            throw SsmErrors.Validation("KeyId is valid only for SecureString parameters.");
        }

        var allowedPattern = input.AllowedPattern ?? current?.AllowedPattern;
        if (allowedPattern is { Length: > 0 } && !Matches(allowedPattern, input.Value))
        {
            throw SsmErrors.PatternMismatch(allowedPattern);
        }

        var dataType = input.DataType ?? current?.DataType ?? ParameterDataTypes.Text;
        ParameterDataTypes.Check(dataType, current?.DataType, type, input.Value);

        var effectivePolicies = policies ?? CarryOver(current?.Policies ?? []);
        var tier = Tier(input, current, effectivePolicies);
        if (tier == ParameterTiers.Standard && effectivePolicies.Count > 0)
        {
            throw SsmErrors.Validation("Parameter policies are supported only for parameters in the advanced-parameter tier. Use Tier Advanced or Intelligent-Tiering.");
        }

        if (tier == ParameterTiers.Standard && Encoding.UTF8.GetByteCount(input.Value) > StandardValueBytes)
        {
            throw SsmErrors.Validation($"Standard tier parameters support a maximum parameter value of {StandardValueBytes} characters. To create a larger parameter value, upgrade the parameter to use the advanced-parameter tier.");
        }

        var keyId = type == ParameterTypes.SecureString ? input.KeyId ?? current?.KeyId ?? DefaultKeyId : null;
        return new PutPlan(type, tier, keyId, input.Description ?? current?.Description, allowedPattern, dataType, effectivePolicies);
    }

    /// <summary>The tier: as asked; Intelligent-Tiering picks Advanced only when needed; never a downgrade.</summary>
    private static string Tier(PutParameterInput input, ParameterVersion? current, IReadOnlyList<ParameterPolicy> policies)
    {
        var needsAdvanced = Encoding.UTF8.GetByteCount(input.Value) > StandardValueBytes || policies.Count > 0;
        var tier = input.Tier switch
        {
            ParameterTiers.IntelligentTiering => needsAdvanced ? ParameterTiers.Advanced : ParameterTiers.Standard,
            null => current?.Tier ?? ParameterTiers.Standard,
            _ => input.Tier,
        };
        if (current?.Tier == ParameterTiers.Advanced && tier == ParameterTiers.Standard)
        {
            if (input.Tier == ParameterTiers.Standard)
            {
                throw SsmErrors.Validation("This parameter uses the advanced-parameter tier. You can't downgrade a parameter from the advanced-parameter tier to the standard-parameter tier. If necessary, you can delete the advanced parameter and recreate it as a standard parameter.");
            }

            tier = ParameterTiers.Advanced;
        }

        return tier;
    }

    /// <summary>Policies kept from the previous version: a change restarts the no-change clock.</summary>
    private static List<ParameterPolicy> CarryOver(IReadOnlyList<ParameterPolicy> policies) =>
        [.. policies.Select(p => p.Type == ParameterPolicies.NoChangeNotification ? p with { Status = ParameterPolicy.Pending } : p)];

    private static bool Matches(string pattern, string value)
    {
        try
        {
            return Regex.IsMatch(value, pattern, RegexOptions.None, TimeSpan.FromMilliseconds(100));
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }
}
