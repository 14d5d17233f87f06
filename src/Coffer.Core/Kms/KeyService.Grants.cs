using System.Security.Cryptography;
using Coffer.Core.Access;
using Coffer.Core.Identity;
using Coffer.Core.Storage;

namespace Coffer.Core.Kms;

public sealed record CreateGrantInput(
    string KeyId,
    string GranteePrincipal,
    string? RetiringPrincipal,
    IReadOnlyList<string> Operations,
    GrantConstraints? Constraints,
    string? Name,
    bool DryRun);

public sealed record CreateGrantResult(string GrantId, string GrantToken);

/// <summary>Grants: CreateGrant, ListGrants, ListRetirableGrants, RetireGrant, RevokeGrant, and their part in authorization.</summary>
public sealed partial class KeyService
{
    /// <summary>AWS's quota of grants per KMS key.</summary>
    public const int MaxGrantsPerKey = 50_000;

    public async Task<CreateGrantResult> CreateGrantAsync(Call call, CreateGrantInput input, CancellationToken ct)
    {
        var key = await ResolveGrantKeyAsync(call, input.KeyId, ct);
        RequireGrantPrincipal(input.GranteePrincipal);
        if (input.RetiringPrincipal is not null)
        {
            RequireGrantPrincipal(input.RetiringPrincipal);
        }

        var viaGrant = await AuthorizeAsync(call, key, "kms:CreateGrant", CreateGrantConditions(call, input), ct: ct);
        if (viaGrant is not null && !input.Operations.All(viaGrant.Operations.Contains))
        {
            throw CommonErrors.AccessDenied(AccessDecision.Message(call.Principal.Arn, "kms:CreateGrant", key.Arn, "because a grant may only create grants for operations it allows itself"));
        }

        RequireGrantOperations(key, input.Operations, input.Constraints);
        RequireNotPendingDeletion(key);
        if (input.DryRun)
        {
            throw KmsErrors.DryRun();
        }

        var grant = new KmsGrant
        {
            GrantId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)),
            KeyId = key.KeyId,
            AccountId = key.AccountId,
            Region = key.Region,
            Name = input.Name,
            CreationDate = time.GetUtcNow(),
            GranteePrincipal = input.GranteePrincipal,
            RetiringPrincipal = input.RetiringPrincipal,
            IssuingAccount = $"arn:{Aws.Partition.ForRegion(key.Region)}:iam::{call.AccountId}:root",
            Operations = [.. input.Operations.Distinct(StringComparer.Ordinal)],
            Constraints = input.Constraints,
        };
        var stored = await audit.WriteChangeAsync(call, async (s, c) =>
        {
            var grants = await GrantsOfAsync(s, key, c);
            if (input.Name is not null && grants.FirstOrDefault(g => g.SameRequestAs(grant)) is { } existing)
            {
                return existing;
            }

            if (grants.Count >= MaxGrantsPerKey)
            {
                throw KmsErrors.LimitExceeded($"{key.Arn} has {MaxGrantsPerKey} grants, the most a key may have.");
            }

            await s.Kms.InsertGrantAsync(grant, c);
            return grant;
        }, ct);
        return new CreateGrantResult(stored.GrantId, GrantTokens.Issue(stored));
    }

    public async Task<Page<KmsGrant>> ListGrantsAsync(Call call, string keyId, string? grantId, string? granteePrincipal, int? limit, string? marker, CancellationToken ct)
    {
        var key = await ResolveGrantKeyAsync(call, keyId, ct);
        await AuthorizeAsync(call, key, "kms:ListGrants", ct: ct);
        var grants = (await store.ReadAsync((s, c) => GrantsOfAsync(s, key, c), ct))
            .Where(g => (grantId is null || g.GrantId == grantId) && (granteePrincipal is null || g.GranteePrincipal == granteePrincipal))
            .ToList();
        return Paginate(grants, limit ?? 50, marker);
    }

    public async Task<Page<KmsGrant>> ListRetirableGrantsAsync(Call call, string retiringPrincipal, int? limit, string? marker, CancellationToken ct)
    {
        await authorizer.AuthorizeAsync(call, new AccessRequest("kms:ListRetirableGrants", "*"), cancellationToken: ct);
        var grants = await store.ReadAsync((s, c) => s.Kms.ListRetirableGrantsAsync(call.AccountId, call.Region, retiringPrincipal, c), ct);
        return Paginate(grants, limit ?? 50, marker);
    }

    /// <summary>Retires a grant named by its token, or by key and grant id. As in AWS, the grant decides
    /// who may: its retiring principal, its grantee when RetireGrant is among its operations, or its account.</summary>
    public async Task RetireGrantAsync(Call call, string? grantToken, string? keyId, string? grantId, bool dryRun, CancellationToken ct)
    {
        Guid grantKeyId;
        if (grantToken is not null)
        {
            (grantKeyId, var tokenGrantId) = GrantTokens.Read(grantToken) ?? throw KmsErrors.InvalidGrantToken();
            grantId ??= tokenGrantId;
        }
        else if (keyId is not null && grantId is not null)
        {
            grantKeyId = (await ResolveGrantKeyAsync(call, keyId, ct)).KeyId;
        }
        else
        {
            throw KmsErrors.Validation("Specify a GrantToken, or both KeyId and GrantId.");
        }

        await audit.WriteChangeAsync(call, async (s, c) =>
        {
            var key = await s.Kms.FindKeyAsync(grantKeyId, call.Region, c) ?? throw KmsErrors.GrantNotFound(grantId);
            call.AddResource(key.Arn, ResourceType);
            var grant = (await GrantsOfAsync(s, key, c)).FirstOrDefault(g => g.GrantId == grantId) ?? throw KmsErrors.GrantNotFound(grantId);
            if (!MayRetire(call.Principal, grant))
            {
                throw CommonErrors.AccessDenied(AccessDecision.Message(call.Principal.Arn, "kms:RetireGrant", key.Arn, "because the caller is not the grant's retiring principal, its grantee with RetireGrant, or its account"));
            }

            if (dryRun)
            {
                throw KmsErrors.DryRun();
            }

            await s.Kms.DeleteGrantAsync(grant.GrantId, c);
            return grant;
        }, ct);
    }

    public async Task RevokeGrantAsync(Call call, string keyId, string grantId, bool dryRun, CancellationToken ct)
    {
        var key = await ResolveGrantKeyAsync(call, keyId, ct);
        await AuthorizeAsync(call, key, "kms:RevokeGrant", ct: ct);
        if (dryRun)
        {
            throw KmsErrors.DryRun();
        }

        await audit.WriteChangeAsync(call, async (s, c) =>
        {
            var grant = (await GrantsOfAsync(s, key, c)).FirstOrDefault(g => g.GrantId == grantId) ?? throw KmsErrors.GrantNotFound(grantId);
            await s.Kms.DeleteGrantAsync(grant.GrantId, c);
            return grant;
        }, ct);
    }

    /// <summary>A grant of this key that lets the caller do <paramref name="action"/> with the request's encryption context.</summary>
    private async ValueTask<KmsGrant?> FindAllowingGrantAsync(Call call, KmsKey key, string action, IReadOnlyDictionary<string, IReadOnlyList<string>>? conditions, IStoreSession? within, CancellationToken ct)
    {
        var operation = action.StartsWith("kms:", StringComparison.Ordinal) ? action[4..] : action;
        if (!GrantOperations.All.Contains(operation))
        {
            return null;
        }

        var context = RequestContext(conditions);
        return (await store.ReadInAsync(within, (s, c) => GrantsOfAsync(s, key, c), ct)).FirstOrDefault(g =>
            g.Operations.Contains(operation)
            && IsGrantee(call.Principal, g.GranteePrincipal)
            && (g.Constraints is null || g.Constraints.AllowContext(context)));
    }

    private static bool IsGrantee(Principal principal, string grantee) =>
        grantee == principal.Arn || (principal.RoleArn is not null && grantee == principal.RoleArn);

    private static bool MayRetire(Principal principal, KmsGrant grant) =>
        (grant.RetiringPrincipal is { } retiring && IsGrantee(principal, retiring))
        || (grant.Operations.Contains("RetireGrant") && IsGrantee(principal, grant.GranteePrincipal))
        || (principal.IsRoot && principal.AccountId == grant.AccountId);

    /// <summary>The encryption context of a request, read back from its kms:EncryptionContext:KEY condition keys.</summary>
    private static Dictionary<string, string> RequestContext(IReadOnlyDictionary<string, IReadOnlyList<string>>? conditions)
    {
        const string Prefix = "kms:EncryptionContext:";
        var context = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in conditions ?? new Dictionary<string, IReadOnlyList<string>>())
        {
            if (k.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase) && v.Count == 1)
            {
                context[k[Prefix.Length..]] = v[0];
            }
        }

        return context;
    }

    /// <summary>The grants of a key in its own Region: a multi-Region key's replicas each have their own grants, as in AWS.</summary>
    private static async ValueTask<List<KmsGrant>> GrantsOfAsync(IStoreSession s, KmsKey key, CancellationToken ct) =>
        [.. (await s.Kms.ListGrantsAsync(key.KeyId, ct)).Where(g => g.Region == key.Region)];
}
