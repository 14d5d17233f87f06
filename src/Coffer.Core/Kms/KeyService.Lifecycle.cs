using Coffer.Core.Access;
using Coffer.Core.Storage;

namespace Coffer.Core.Kms;

public sealed record CreateKeyInput
{
    public string? Policy { get; init; }

    public string? Description { get; init; }

    public string? KeyUsage { get; init; }

    public string? KeySpec { get; init; }

    public string? Origin { get; init; }

    public string? CustomKeyStoreId { get; init; }

    public bool? MultiRegion { get; init; }

    public string? XksKeyId { get; init; }

    /// <summary>AWS's BypassPolicyLockoutSafetyCheck (see <c>RequireNoLockout</c>).</summary>
    public bool BypassPolicyLockoutSafetyCheck { get; init; }

    public IReadOnlyList<ResourceTag> Tags { get; init; } = [];
}

public sealed record Page<T>(IReadOnlyList<T> Items, string? NextMarker)
{
    public bool Truncated => NextMarker is not null;
}

public sealed partial class KeyService
{
    public async Task<KmsKey> CreateKeyAsync(Call call, CreateKeyInput input, CancellationToken ct)
    {
        if (input.CustomKeyStoreId is not null)
        {
            throw KmsErrors.CustomKeyStoreNotFound(input.CustomKeyStoreId);
        }

        var spec = CheckSpecAndUsage(input.KeySpec ?? KeySpecs.SymmetricDefault, input.KeyUsage ?? KeySpecs.EncryptDecrypt);
        var external = input.Origin == ExternalOrigin;
        if (input.Origin is not (null or "AWS_KMS" or ExternalOrigin) || (external && spec.IsAsymmetric))
        {
            throw KmsErrors.Unsupported($"Origin {input.Origin} is not supported for {spec.Name} keys: Coffer makes its own key material (AWS_KMS), or imports it (EXTERNAL) for symmetric and HMAC keys.");
        }

        if (input.XksKeyId is not null)
        {
            throw KmsErrors.Unsupported("External key stores are not supported.");
        }

        var multiRegion = input.MultiRegion == true;
        if (multiRegion && external)
        {
            throw KmsErrors.Unsupported("Coffer does not import key material into multi-Region keys: create the multi-Region key with Coffer's own material (Origin AWS_KMS).");
        }

        ValidatePolicy(input.Policy);
        ResourceTags.Validate(input.Tags, [], KmsErrors.Tag);
        var now = time.GetUtcNow();
        var key = new KmsKey
        {
            KeyId = multiRegion ? KeyIds.NewMultiRegion() : KeyIds.NewSingleRegion(),
            AccountId = call.AccountId,
            Region = call.Region,
            PrimaryRegion = multiRegion ? call.Region : null,
            CreationDate = now,
            Description = input.Description ?? "",
            Policy = input.Policy ?? KeyPolicies.Default(call.AccountId, call.Region),
            Tags = input.Tags,
            KeySpec = spec.Name,
            KeyUsage = input.KeyUsage ?? KeySpecs.EncryptDecrypt,
            Origin = external ? ExternalOrigin : "AWS_KMS",
            State = external ? KeyState.PendingImport : KeyState.Enabled,
        };
        call.AddResource(key.Arn, ResourceType);
        await authorizer.AuthorizeAsync(call, new AccessRequest("kms:CreateKey", "*") { ConditionKeys = CreateKeyConditions(input, spec) }, cancellationToken: ct);
        if (input.Policy is not null)
        {
            await RequireNoLockoutAsync(call, key, input.BypassPolicyLockoutSafetyCheck, ct: ct);
        }

        // Made before the write: an RSA-4096 key pair takes a while, and the writer is shared.
        var wrapped = external ? null : WrapNewMaterial(key.KeyId, 1, spec);
        return await audit.WriteChangeAsync(call, async (s, c) =>
        {
            await s.Kms.InsertKeyAsync(key, c);
            if (wrapped is not null)
            {
                await s.Kms.InsertMaterialAsync(key.KeyId, 1, wrapped, now, c);
            }

            return key;
        }, ct);
    }

    public async Task<KmsKey> DescribeKeyAsync(Call call, string keyId, CancellationToken ct)
    {
        var key = await ResolveAsync(call, keyId, ct);
        await AuthorizeAsync(call, key, "kms:DescribeKey", ct: ct);
        return key;
    }

    public async Task<Page<KmsKey>> ListKeysAsync(Call call, int? limit, string? marker, CancellationToken ct)
    {
        await authorizer.AuthorizeAsync(call, new AccessRequest("kms:ListKeys", "*"), cancellationToken: ct);
        Guid? after = null;
        if (marker is not null)
        {
            after = KeyIds.TryParse(marker, out var id) ? id : throw KmsErrors.InvalidMarker();
        }

        // Keys the caller may not describe are left out of the listing.
        var size = limit ?? 100;
        var keys = new List<KmsKey>();
        while (keys.Count <= size)
        {
            var from = after;
            var batch = await store.ReadAsync((s, c) => s.Kms.ListKeysAsync(call.AccountId, call.Region, from, size + 1, c), ct);
            foreach (var k in batch)
            {
                if (await MayListAsync(call, k, ct))
                {
                    keys.Add(k);
                }
            }

            if (batch.Count <= size)
            {
                break;
            }

            after = batch[^1].KeyId;
        }

        return keys.Count > size
            ? new Page<KmsKey>([.. keys.Take(size)], keys[size - 1].Id)
            : new Page<KmsKey>(keys, null);
    }

    public Task EnableKeyAsync(Call call, string keyId, CancellationToken ct) =>
        UpdateKeyAsync(call, keyId, "kms:EnableKey", key =>
        {
            RequireCustomerManaged(key);
            RequireNotPendingDeletion(key);
            RequireNotPendingImport(key);
            return key with { State = KeyState.Enabled };
        }, ct);

    public Task DisableKeyAsync(Call call, string keyId, CancellationToken ct) =>
        UpdateKeyAsync(call, keyId, "kms:DisableKey", key =>
        {
            RequireCustomerManaged(key);
            RequireNotPendingDeletion(key);
            RequireNotPendingImport(key);
            return key with { State = KeyState.Disabled };
        }, ct);

    public Task<KmsKey> ScheduleKeyDeletionAsync(Call call, string keyId, int? pendingWindowInDays, CancellationToken ct)
    {
        var days = pendingWindowInDays ?? 30;
        CommonErrors.RequireRange("pendingWindowInDays", days, 7, 30);

        return UpdateKeyAsync(call, keyId, "kms:ScheduleKeyDeletion", key =>
        {
            RequireCustomerManaged(key);
            RequireNotPendingDeletion(key);
            if (key is { IsReplica: false, ReplicaRegions.Count: > 0 })
            {
                // As in AWS, a primary with replicas waits for them to be deleted before its own window starts.
                return key with { State = KeyState.PendingReplicaDeletion, DeletionDate = null, PendingDeletionWindowInDays = days };
            }

            return key with
            {
                State = KeyState.PendingDeletion,
                DeletionDate = time.GetUtcNow().AddDays(days),
                PendingDeletionWindowInDays = days,
            };
        }, ct);
    }

    public Task<KmsKey> CancelKeyDeletionAsync(Call call, string keyId, CancellationToken ct) =>
        UpdateKeyAsync(call, keyId, "kms:CancelKeyDeletion", key =>
        {
            if (key.State is not (KeyState.PendingDeletion or KeyState.PendingReplicaDeletion))
            {
                throw KmsErrors.NotPendingDeletion(key.Arn);
            }

            // As in AWS, a key whose deletion is cancelled comes back disabled.
            var state = key.Origin == ExternalOrigin && !key.MaterialImported ? KeyState.PendingImport : KeyState.Disabled;
            return key with { State = state, DeletionDate = null, PendingDeletionWindowInDays = null };
        }, ct);

    public Task UpdateKeyDescriptionAsync(Call call, string keyId, string description, CancellationToken ct) =>
        UpdateKeyAsync(call, keyId, "kms:UpdateKeyDescription", key =>
        {
            RequireCustomerManaged(key);
            RequireNotPendingDeletion(key);
            return key with { Description = description };
        }, ct);

    /// <summary><see cref="UpdateKeyAsync(Call, string, string, Func{KmsKey, IStoreSession, CancellationToken, ValueTask{KmsKey}}, CancellationToken)"/>
    /// for a change made from the key alone.</summary>
    private Task<KmsKey> UpdateKeyAsync(Call call, string keyId, string action, Func<KmsKey, KmsKey> change, CancellationToken ct) =>
        UpdateKeyAsync(call, keyId, action, (key, _, _) => new ValueTask<KmsKey>(change(key)), ct);

    /// <summary>The shape of every change to one key: resolve, authorize, change, store, audit, in one transaction.</summary>
    private async Task<KmsKey> UpdateKeyAsync(Call call, string keyId, string action, Func<KmsKey, IStoreSession, CancellationToken, ValueTask<KmsKey>> change, CancellationToken ct)
    {
        await ResolveAsync(call, keyId, ct);
        return await audit.WriteChangeAsync(call, async (s, c) =>
        {
            var key = await ResolveInAsync(s, call, keyId, c);
            await AuthorizeAsync(call, key, action, within: s, ct: c);
            var updated = await change(key, s, c);
            await s.Kms.UpdateKeyAsync(updated, c);
            return updated;
        }, ct);
    }
}
