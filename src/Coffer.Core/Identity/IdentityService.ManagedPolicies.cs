using Coffer.Core.Access;
using Coffer.Core.Aws;
using Coffer.Core.Kms;

namespace Coffer.Core.Identity;

public sealed partial class IdentityService
{
    private const int MaxManagedPolicySize = 6144;
    private const int MaxVersions = 5;
    private const int MaxAttachedPolicies = 10;
    private const string PolicyType = "AWS::IAM::ManagedPolicy";

    public async Task<ManagedPolicy> CreatePolicyAsync(Call call, string name, string? path, string document, string? description, IReadOnlyList<ResourceTag>? tags, CancellationToken ct)
    {
        ValidatePath(path);
        ValidateManaged(document);
        var now = time.GetUtcNow();
        var policy = new ManagedPolicy
        {
            AccountId = call.AccountId,
            Name = name,
            Id = NewId("ANPA"),
            Path = path ?? "/",
            Arn = Arn.Global("iam", call.Region, call.AccountId, "policy" + (path ?? "/") + name).ToString(),
            Description = description,
            CreateDate = now,
            UpdateDate = now,
            DefaultVersionId = "v1",
            Versions = [new PolicyVersion("v1", document, now)],
            Tags = tags ?? [],
        };
        await AuthorizeAsync(call, "iam:CreatePolicy", policy.Arn, PolicyType, ResourceTags.RequestConditions(tags), ct);
        return await ChangeAsync(call, async (s, ct) =>
        {
            if ((await s.Iam.ListPoliciesAsync(call.AccountId, "/", ct)).Any(p => p.Name.Equals(name, StringComparison.OrdinalIgnoreCase)))
            {
                throw IdentityErrors.PolicyAlreadyExists(name, policy.Arn);
            }

            await s.Iam.InsertPolicyAsync(policy, ct);
            return policy;
        }, ct);
    }

    /// <summary>A managed policy and how many entities it is attached to.</summary>
    public async Task<(ManagedPolicy Policy, int Attachments)> GetPolicyAsync(Call call, string arn, CancellationToken ct)
    {
        var policy = await LoadPolicyAsync(call, arn, "iam:GetPolicy", ct);
        return (policy, await store.ReadAsync((s, ct) => s.Iam.CountAttachmentsAsync(arn, ct), ct));
    }

    public async Task<(ManagedPolicy Policy, PolicyVersion Version)> GetPolicyVersionAsync(Call call, string arn, string versionId, CancellationToken ct)
    {
        var policy = await LoadPolicyAsync(call, arn, "iam:GetPolicyVersion", ct);
        var version = policy.Versions.FirstOrDefault(v => v.VersionId == versionId)
            ?? throw IdentityErrors.NoSuchEntity($"Policy {arn} version {versionId} does not exist or is not attachable.");
        return (policy, version);
    }

    public async Task<(ManagedPolicy Policy, PolicyVersion Version)> CreatePolicyVersionAsync(Call call, string arn, string document, bool setAsDefault, CancellationToken ct)
    {
        ValidateManaged(document);
        RequireCustomerManaged(await LoadPolicyAsync(call, arn, "iam:CreatePolicyVersion", ct));
        return await ChangeAsync(call, async (s, ct) =>
        {
            var policy = await s.Iam.FindPolicyAsync(arn, ct) ?? throw IdentityErrors.PolicyNotFound(arn);
            if (policy.Versions.Count >= MaxVersions)
            {
                throw IdentityErrors.LimitExceeded($"A managed policy can have up to {MaxVersions} versions. Before you create a new version, you must delete an existing version.");
            }

            var next = policy.Versions.Max(v => int.Parse(v.VersionId[1..], System.Globalization.CultureInfo.InvariantCulture)) + 1;
            var now = time.GetUtcNow();
            var version = new PolicyVersion("v" + next, document, now);
            var updated = policy with
            {
                Versions = [.. policy.Versions, version],
                DefaultVersionId = setAsDefault ? version.VersionId : policy.DefaultVersionId,
                UpdateDate = now,
            };
            await s.Iam.UpdatePolicyAsync(updated, ct);
            return (updated, version);
        }, ct);
    }

    /// <summary>Managed policies by scope (All, AWS, Local), with their attachment counts.</summary>
    public async Task<IamPage<(ManagedPolicy Policy, int Attachments)>> ListPoliciesAsync(Call call, string? scope, bool onlyAttached, string? pathPrefix, string? marker, int? maxItems, CancellationToken ct)
    {
        await AuthorizeAsync(call, "iam:ListPolicies", Arn.Global("iam", call.Region, call.AccountId, "policy/").ToString(), PolicyType, null, ct);
        var prefix = pathPrefix ?? "/";
        var all = await store.ReadAsync(async (s, ct) =>
        {
            var list = new List<(ManagedPolicy, int)>();
            if (scope is null or "All" or "AWS")
            {
                foreach (var p in AwsManagedPolicies.All.Where(p => p.Path.StartsWith(prefix, StringComparison.Ordinal)))
                {
                    list.Add((p, await s.Iam.CountAttachmentsAsync(p.Arn, ct)));
                }
            }

            if (scope is null or "All" or "Local")
            {
                foreach (var p in await s.Iam.ListPoliciesAsync(call.AccountId, prefix, ct))
                {
                    list.Add((p, await s.Iam.CountAttachmentsAsync(p.Arn, ct)));
                }
            }

            return list;
        }, ct);
        return Page([.. all.Where(p => !onlyAttached || p.Item2 > 0)], marker, maxItems);
    }

    public async Task DeletePolicyAsync(Call call, string arn, CancellationToken ct)
    {
        RequireCustomerManaged(await LoadPolicyAsync(call, arn, "iam:DeletePolicy", ct));
        await ChangeAsync(call, async (s, ct) =>
        {
            var policy = await s.Iam.FindPolicyAsync(arn, ct) ?? throw IdentityErrors.PolicyNotFound(arn);
            if (await s.Iam.CountAttachmentsAsync(arn, ct) > 0)
            {
                throw IdentityErrors.DeleteConflict("Cannot delete a policy attached to entities.");
            }

            if (policy.Versions.Count > 1)
            {
                throw IdentityErrors.DeleteConflict("This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.");
            }

            await s.Iam.DeletePolicyAsync(arn, ct);
            return true;
        }, ct);
    }

    public async Task AttachPolicyAsync(Call call, IamEntityKind kind, string name, string policyArn, CancellationToken ct)
    {
        await LoadAsync(call, kind, name, Action("Attach", kind, "Policy"), ct, PolicyArnKey(policyArn));
        await ChangeAsync(call, async (s, ct) =>
        {
            var entity = await RequireAsync(s, call, kind, name, ct);
            if ((AwsManagedPolicies.Find(policyArn) ?? await s.Iam.FindPolicyAsync(policyArn, ct)) is null)
            {
                throw IdentityErrors.PolicyNotFound(policyArn);
            }

            var attached = await s.Iam.AttachedPoliciesAsync(entity, ct);
            if (!attached.Contains(policyArn) && attached.Count >= MaxAttachedPolicies)
            {
                throw IdentityErrors.LimitExceeded($"Cannot exceed quota for PoliciesPer{kind}: {MaxAttachedPolicies}");
            }

            await s.Iam.AttachAsync(entity, policyArn, ct);
            return true;
        }, ct);
    }

    public async Task DetachPolicyAsync(Call call, IamEntityKind kind, string name, string policyArn, CancellationToken ct)
    {
        await LoadAsync(call, kind, name, Action("Detach", kind, "Policy"), ct, PolicyArnKey(policyArn));
        await ChangeAsync(call, async (s, ct) =>
        {
            var entity = await RequireAsync(s, call, kind, name, ct);
            if (!(await s.Iam.AttachedPoliciesAsync(entity, ct)).Contains(policyArn))
            {
                throw IdentityErrors.NoSuchEntity($"Policy {policyArn} was not found.");
            }

            await s.Iam.DetachAsync(entity, policyArn, ct);
            return true;
        }, ct);
    }

    public async Task<IamPage<string>> ListAttachedPoliciesAsync(Call call, IamEntityKind kind, string name, string? pathPrefix, string? marker, int? maxItems, CancellationToken ct)
    {
        var entity = await LoadAsync(call, kind, name, Action("ListAttached", kind, "Policies"), ct);
        var arns = await store.ReadAsync((s, ct) => s.Iam.AttachedPoliciesAsync(entity, ct), ct);
        return Page([.. arns.Where(a => PathOf(a).StartsWith(pathPrefix ?? "/", StringComparison.Ordinal))], marker, maxItems);
    }

    /// <summary>The path of a policy ARN (<c>arn:aws:iam::ACCOUNT:policy/PATH/NAME</c>), "/" included at both ends.</summary>
    private static string PathOf(string policyArn)
    {
        var resource = policyArn[(policyArn.IndexOf(":policy/", StringComparison.Ordinal) + ":policy".Length)..];
        return resource[..(resource.LastIndexOf('/') + 1)];
    }

    private async ValueTask<ManagedPolicy> LoadPolicyAsync(Call call, string arn, string action, CancellationToken ct)
    {
        await AuthorizeAsync(call, action, arn, PolicyType, null, ct);
        return AwsManagedPolicies.Find(arn) ?? await store.ReadAsync((s, ct) => s.Iam.FindPolicyAsync(arn, ct), ct) ?? throw IdentityErrors.PolicyNotFound(arn);
    }

    private static void RequireCustomerManaged(ManagedPolicy policy)
    {
        if (policy.IsAwsManaged)
        {
            throw CommonErrors.AccessDenied($"{policy.Arn} is an AWS managed policy: it cannot be changed or deleted.");
        }
    }

    private static void ValidateManaged(string document)
    {
        if (document.Count(c => !char.IsWhiteSpace(c)) > MaxManagedPolicySize)
        {
            throw IdentityErrors.LimitExceeded($"Cannot exceed quota for PolicySize: {MaxManagedPolicySize}");
        }

        ValidatePolicy(document, PolicyKind.Identity);
    }

    private static Dictionary<string, IReadOnlyList<string>> PolicyArnKey(string policyArn) =>
        new(StringComparer.OrdinalIgnoreCase) { ["iam:PolicyARN"] = [policyArn] };
}
