using Coffer.Core.Access;
using Coffer.Core.Storage;

namespace Coffer.Core.Kms;

public sealed partial class KeyService
{
    private const int MaxPolicyBytes = 32 * 1024;

    public Task TagResourceAsync(Call call, string keyId, IReadOnlyList<ResourceTag> tags, CancellationToken ct) =>
        UpdateKeyAsync(call, keyId, "kms:TagResource", key =>
        {
            RequireCustomerManaged(key);
            RequireNotPendingDeletion(key);
            var merged = key.Tags.Where(t => tags.All(n => n.Key != t.Key)).Concat(tags).ToList();
            ResourceTags.Validate(tags, merged, KmsErrors.Tag);
            return key with { Tags = merged };
        }, ct);

    public Task UntagResourceAsync(Call call, string keyId, IReadOnlyList<string> tagKeys, CancellationToken ct) =>
        UpdateKeyAsync(call, keyId, "kms:UntagResource", key =>
        {
            RequireCustomerManaged(key);
            RequireNotPendingDeletion(key);
            return key with { Tags = [.. key.Tags.Where(t => !tagKeys.Contains(t.Key))] };
        }, ct);

    public async Task<Page<ResourceTag>> ListResourceTagsAsync(Call call, string keyId, int? limit, string? marker, CancellationToken ct)
    {
        var key = await ResolveAsync(call, keyId, ct);
        await AuthorizeAsync(call, key, "kms:ListResourceTags", ct: ct);
        return Paginate(key.Tags, limit ?? 50, marker);
    }

    public async Task<string> GetKeyPolicyAsync(Call call, string keyId, string? policyName, CancellationToken ct)
    {
        var key = await ResolveAsync(call, keyId, ct);
        RequireDefaultPolicyName(policyName);
        await AuthorizeAsync(call, key, "kms:GetKeyPolicy", ct: ct);
        return key.Policy;
    }

    /// <param name="bypassLockoutSafetyCheck">AWS's BypassPolicyLockoutSafetyCheck: skip the check that the caller could still change the policy.</param>
    public Task PutKeyPolicyAsync(Call call, string keyId, string? policyName, string policy, bool bypassLockoutSafetyCheck, CancellationToken ct)
    {
        RequireDefaultPolicyName(policyName);
        ValidatePolicy(policy);
        return UpdateKeyAsync(call, keyId, "kms:PutKeyPolicy", async (key, s, c) =>
        {
            RequireCustomerManaged(key);
            RequireNotPendingDeletion(key);
            var updated = key with { Policy = policy };
            await RequireNoLockoutAsync(call, updated, bypassLockoutSafetyCheck, s, c);
            return updated;
        }, ct);
    }

    /// <summary>
    /// AWS's key policy lockout safety check: a new key policy must still let the caller call
    /// PutKeyPolicy on the key (with its IAM policies, where the key policy lets them count), or the key
    /// could become unmanageable. BypassPolicyLockoutSafetyCheck skips it, as in AWS.
    /// </summary>
    private async ValueTask RequireNoLockoutAsync(Call call, KmsKey keyWithNewPolicy, bool bypass, IStoreSession? within = null, CancellationToken ct = default)
    {
        if (!bypass && !await authorizer.IsAllowedAsync(call, Request(keyWithNewPolicy, "kms:PutKeyPolicy"), within, ct))
        {
            throw KmsErrors.MalformedPolicy("The new key policy will not allow you to update the key policy in the future.");
        }
    }

    public async Task<Page<string>> ListKeyPoliciesAsync(Call call, string keyId, int? limit, string? marker, CancellationToken ct)
    {
        var key = await ResolveAsync(call, keyId, ct);
        await AuthorizeAsync(call, key, "kms:ListKeyPolicies", ct: ct);
        return Paginate(["default"], limit ?? 100, marker);
    }

    /// <summary>Pages through a small in-memory list; the marker is the index of the next item.</summary>
    private static Page<T> Paginate<T>(IReadOnlyList<T> items, int limit, string? marker)
    {
        var start = 0;
        if (marker is not null && (!int.TryParse(marker, out start) || start < 0 || start > items.Count))
        {
            throw KmsErrors.InvalidMarker();
        }

        var page = items.Skip(start).Take(limit).ToList();
        var next = start + page.Count < items.Count ? (start + page.Count).ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
        return new Page<T>(page, next);
    }

    private static void RequireDefaultPolicyName(string? policyName)
    {
        if (policyName is not (null or "default"))
        {
            throw KmsErrors.Validation($"Policy name '{policyName}' is not valid: a key has one policy, named 'default'.");
        }
    }

    private static void ValidatePolicy(string? policy)
    {
        if (policy is null)
        {
            return;
        }

        if (System.Text.Encoding.UTF8.GetByteCount(policy) > MaxPolicyBytes)
        {
            throw KmsErrors.LimitExceeded($"The key policy is larger than the {MaxPolicyBytes} bytes a key policy may have.");
        }

        try
        {
            PolicyDocument.Validate(policy, requirePrincipal: true);
        }
        catch (PolicyFormatException e)
        {
            throw KmsErrors.MalformedPolicy(e.Message);
        }
    }
}
