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

    public Task<ManagedPolicy> CreatePolicyAsync(Call call, string name, string? path, string document, string? description, IReadOnlyList<ResourceTag>? tags, CancellationToken ct)
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
        Authorize(call, "iam:CreatePolicy", policy.Arn, PolicyType, ResourceTags.RequestConditions(tags));
        return ChangeAsync(call, s =>
        {
            if (s.Iam.ListPolicies(call.AccountId, "/").Any(p => p.Name.Equals(name, StringComparison.OrdinalIgnoreCase)))
            {
                throw IdentityErrors.PolicyAlreadyExists(name, policy.Arn);
            }

            s.Iam.InsertPolicy(policy);
            return policy;
        }, ct);
    }

    /// <summary>A managed policy and how many entities it is attached to.</summary>
    public (ManagedPolicy Policy, int Attachments) GetPolicy(Call call, string arn)
    {
        var policy = LoadPolicy(call, arn, "iam:GetPolicy");
        return (policy, store.Read(s => s.Iam.CountAttachments(arn)));
    }

    public (ManagedPolicy Policy, PolicyVersion Version) GetPolicyVersion(Call call, string arn, string versionId)
    {
        var policy = LoadPolicy(call, arn, "iam:GetPolicyVersion");
        var version = policy.Versions.FirstOrDefault(v => v.VersionId == versionId)
            ?? throw IdentityErrors.NoSuchEntity($"Policy {arn} version {versionId} does not exist or is not attachable.");
        return (policy, version);
    }

    public Task<(ManagedPolicy Policy, PolicyVersion Version)> CreatePolicyVersionAsync(Call call, string arn, string document, bool setAsDefault, CancellationToken ct)
    {
        ValidateManaged(document);
        RequireCustomerManaged(LoadPolicy(call, arn, "iam:CreatePolicyVersion"));
        return ChangeAsync(call, s =>
        {
            var policy = s.Iam.FindPolicy(arn) ?? throw IdentityErrors.PolicyNotFound(arn);
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
            s.Iam.UpdatePolicy(updated);
            return (updated, version);
        }, ct);
    }

    /// <summary>Managed policies by scope (All, AWS, Local), with their attachment counts.</summary>
    public IamPage<(ManagedPolicy Policy, int Attachments)> ListPolicies(Call call, string? scope, bool onlyAttached, string? pathPrefix, string? marker, int? maxItems)
    {
        Authorize(call, "iam:ListPolicies", Arn.Global("iam", call.Region, call.AccountId, "policy/").ToString(), PolicyType);
        var prefix = pathPrefix ?? "/";
        var all = store.Read(s =>
        {
            var list = new List<(ManagedPolicy, int)>();
            if (scope is null or "All" or "AWS")
            {
                list.AddRange(AwsManagedPolicies.All.Where(p => p.Path.StartsWith(prefix, StringComparison.Ordinal)).Select(p => (p, s.Iam.CountAttachments(p.Arn))));
            }

            if (scope is null or "All" or "Local")
            {
                list.AddRange(s.Iam.ListPolicies(call.AccountId, prefix).Select(p => (p, s.Iam.CountAttachments(p.Arn))));
            }

            return list;
        });
        return Page([.. all.Where(p => !onlyAttached || p.Item2 > 0)], marker, maxItems);
    }

    public Task DeletePolicyAsync(Call call, string arn, CancellationToken ct)
    {
        RequireCustomerManaged(LoadPolicy(call, arn, "iam:DeletePolicy"));
        return ChangeAsync(call, s =>
        {
            var policy = s.Iam.FindPolicy(arn) ?? throw IdentityErrors.PolicyNotFound(arn);
            if (s.Iam.CountAttachments(arn) > 0)
            {
                throw IdentityErrors.DeleteConflict("Cannot delete a policy attached to entities.");
            }

            if (policy.Versions.Count > 1)
            {
                throw IdentityErrors.DeleteConflict("This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.");
            }

            s.Iam.DeletePolicy(arn);
            return true;
        }, ct);
    }

    public Task AttachPolicyAsync(Call call, IamEntityKind kind, string name, string policyArn, CancellationToken ct)
    {
        Load(call, kind, name, Action("Attach", kind, "Policy"), PolicyArnKey(policyArn));
        return ChangeAsync(call, s =>
        {
            var entity = Require(s, call, kind, name);
            if ((AwsManagedPolicies.Find(policyArn) ?? s.Iam.FindPolicy(policyArn)) is null)
            {
                throw IdentityErrors.PolicyNotFound(policyArn);
            }

            var attached = s.Iam.AttachedPolicies(entity);
            if (!attached.Contains(policyArn) && attached.Count >= MaxAttachedPolicies)
            {
                throw IdentityErrors.LimitExceeded($"Cannot exceed quota for PoliciesPer{kind}: {MaxAttachedPolicies}");
            }

            s.Iam.Attach(entity, policyArn);
            return true;
        }, ct);
    }

    public Task DetachPolicyAsync(Call call, IamEntityKind kind, string name, string policyArn, CancellationToken ct)
    {
        Load(call, kind, name, Action("Detach", kind, "Policy"), PolicyArnKey(policyArn));
        return ChangeAsync(call, s =>
        {
            var entity = Require(s, call, kind, name);
            if (!s.Iam.AttachedPolicies(entity).Contains(policyArn))
            {
                throw IdentityErrors.NoSuchEntity($"Policy {policyArn} was not found.");
            }

            s.Iam.Detach(entity, policyArn);
            return true;
        }, ct);
    }

    public IamPage<string> ListAttachedPolicies(Call call, IamEntityKind kind, string name, string? pathPrefix, string? marker, int? maxItems)
    {
        var entity = Load(call, kind, name, Action("ListAttached", kind, "Policies"));
        var arns = store.Read(s => s.Iam.AttachedPolicies(entity));
        return Page([.. arns.Where(a => PathOf(a).StartsWith(pathPrefix ?? "/", StringComparison.Ordinal))], marker, maxItems);
    }

    /// <summary>The path of a policy ARN (<c>arn:aws:iam::ACCOUNT:policy/PATH/NAME</c>), "/" included at both ends.</summary>
    private static string PathOf(string policyArn)
    {
        var resource = policyArn[(policyArn.IndexOf(":policy/", StringComparison.Ordinal) + ":policy".Length)..];
        return resource[..(resource.LastIndexOf('/') + 1)];
    }

    private ManagedPolicy LoadPolicy(Call call, string arn, string action)
    {
        Authorize(call, action, arn, PolicyType);
        return AwsManagedPolicies.Find(arn) ?? store.Read(s => s.Iam.FindPolicy(arn)) ?? throw IdentityErrors.PolicyNotFound(arn);
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
