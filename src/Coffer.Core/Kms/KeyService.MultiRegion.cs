using Coffer.Core.Access;
using Coffer.Core.Storage;

namespace Coffer.Core.Kms;

public sealed record ReplicateKeyInput(string KeyId, string ReplicaRegion)
{
    public string? Policy { get; init; }

    public string? Description { get; init; }

    public bool BypassPolicyLockoutSafetyCheck { get; init; }

    public IReadOnlyList<ResourceTag> Tags { get; init; } = [];
}

/// <summary>
/// Multi-Region keys. Coffer answers every Region a request is signed for, so a replica is simply the
/// key's record in another Region: the same <c>mrk-</c> id and the same key material (stored once, keyed
/// by the id), with its own state, description, policy, tags, aliases and grants, as AWS keeps them.
/// A ciphertext therefore decrypts in any Region that has the key. Rotation is the primary's: a new
/// material version is written once and every record's current version moves with it.
/// </summary>
public sealed partial class KeyService
{
    public async Task<KmsKey> ReplicateKeyAsync(Call call, ReplicateKeyInput input, CancellationToken ct)
    {
        ValidatePolicy(input.Policy);
        ResourceTags.Validate(input.Tags, [], KmsErrors.Tag);
        await ResolveAsync(call, input.KeyId, ct);
        return await audit.WriteChangeAsync(call, async (s, c) =>
        {
            var primary = await ResolveKeyOnlyAsync(s, call, input.KeyId, c);
            RequirePrimary(primary);
            await AuthorizeAsync(call, primary, "kms:ReplicateKey", new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase)
            {
                ["kms:ReplicaRegion"] = [input.ReplicaRegion],
            }, s, c);
            RequireNotPendingDeletion(primary);
            if (input.ReplicaRegion == primary.Region || await s.Kms.FindKeyAsync(primary.KeyId, input.ReplicaRegion, c) is not null)
            {
                throw KmsErrors.AlreadyExists($"Multi-Region key {primary.Id} already exists in Region {input.ReplicaRegion}.");
            }

            var now = time.GetUtcNow();
            var replica = primary with
            {
                Region = input.ReplicaRegion,
                CreationDate = now,
                Description = input.Description ?? "",
                Policy = input.Policy ?? KeyPolicies.Default(primary.AccountId, input.ReplicaRegion),
                Tags = input.Tags,
                State = primary.State == KeyState.PendingImport ? KeyState.PendingImport : KeyState.Enabled,
                DeletionDate = null,
                PendingDeletionWindowInDays = null,
                RotationEnabled = false,
                RotationPeriodInDays = null,
                NextRotationDate = null,
            };
            call.AddResource(replica.Arn, ResourceType);
            await authorizer.AuthorizeAsync(call, new AccessRequest("kms:CreateKey", "*") { ConditionKeys = ResourceTags.RequestConditions(input.Tags) }, s, c);
            if (input.Policy is not null)
            {
                await RequireNoLockoutAsync(call, replica, input.BypassPolicyLockoutSafetyCheck, s, c);
            }

            var regions = (IReadOnlyList<string>)[.. primary.ReplicaRegions.Append(input.ReplicaRegion).Order(StringComparer.Ordinal)];
            await s.Kms.InsertKeyAsync(replica with { ReplicaRegions = regions }, c);
            await SetReplicaRegionsAsync(s, primary.KeyId, regions, except: input.ReplicaRegion, c);
            return replica with { ReplicaRegions = regions };
        }, ct);
    }

    /// <summary>Makes the replica in <paramref name="primaryRegion"/> the primary key, and the current primary a replica.</summary>
    public async Task UpdatePrimaryRegionAsync(Call call, string keyId, string primaryRegion, CancellationToken ct)
    {
        await ResolveAsync(call, keyId, ct);
        await audit.WriteChangeAsync(call, async (s, c) =>
        {
            var primary = await ResolveKeyOnlyAsync(s, call, keyId, c);
            RequirePrimary(primary);
            var conditions = new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase) { ["kms:PrimaryRegion"] = [primaryRegion] };
            await AuthorizeAsync(call, primary, "kms:UpdatePrimaryRegion", conditions, s, c);
            if (primaryRegion == primary.Region)
            {
                throw KmsErrors.Unsupported($"{primary.Arn} is already the primary key in {primaryRegion}.");
            }

            var replica = await s.Kms.FindKeyAsync(primary.KeyId, primaryRegion, c) ?? throw KmsErrors.KeyNotFound(KmsArns.Key(primaryRegion, primary.AccountId, primary.KeyId));

            // As in AWS, the caller needs kms:UpdatePrimaryRegion on the replica too.
            await AuthorizeAsync(call, replica, "kms:UpdatePrimaryRegion", conditions, s, c);
            foreach (var key in (KmsKey[])[primary, replica])
            {
                RequireUsable(key);
            }

            var regions = (IReadOnlyList<string>)[.. primary.ReplicaRegions.Where(r => r != primaryRegion).Append(primary.Region).Order(StringComparer.Ordinal)];
            foreach (var key in await s.Kms.ListKeyRegionsAsync(primary.KeyId, c))
            {
                var moved = key with { PrimaryRegion = primaryRegion, ReplicaRegions = regions };

                // Automatic rotation is a property of the primary key: it moves with the primary.
                if (key.Region == primaryRegion)
                {
                    moved = moved with { RotationEnabled = primary.RotationEnabled, RotationPeriodInDays = primary.RotationPeriodInDays, NextRotationDate = primary.NextRotationDate };
                }
                else if (key.Region == primary.Region)
                {
                    moved = moved with { RotationEnabled = false, RotationPeriodInDays = null, NextRotationDate = null };
                }

                await s.Kms.UpdateKeyAsync(moved, c);
            }

            return true;
        }, ct);
    }

    /// <summary>The rotation status a replica shows: its primary's, since rotation is shared.</summary>
    private async ValueTask<KmsKey> RotationHolderAsync(KmsKey key, CancellationToken ct) =>
        key.IsReplica ? await store.ReadAsync((s, c) => s.Kms.FindKeyAsync(key.KeyId, key.PrimaryRegion!, c), ct) ?? key : key;

    /// <summary>After a rotation of a multi-Region primary, every replica encrypts with the new material version.</summary>
    private static async ValueTask ShareRotationAsync(IStoreSession s, KmsKey primary, CancellationToken ct)
    {
        foreach (var replica in (await s.Kms.ListKeyRegionsAsync(primary.KeyId, ct)).Where(k => k.Region != primary.Region))
        {
            await s.Kms.UpdateKeyAsync(replica with { CurrentMaterialVersion = primary.CurrentMaterialVersion, Rotations = primary.Rotations }, ct);
        }
    }

    /// <summary>A replica has been deleted: the others forget it, and a primary waiting for its replicas to go
    /// (<c>PendingReplicaDeletion</c>) starts its own waiting period once the last one has.</summary>
    private async ValueTask ForgetReplicaAsync(IStoreSession s, KmsKey deleted, CancellationToken ct)
    {
        var remaining = await s.Kms.ListKeyRegionsAsync(deleted.KeyId, ct);
        var regions = (IReadOnlyList<string>)[.. remaining.Where(k => k.Region != deleted.PrimaryRegion).Select(k => k.Region).Order(StringComparer.Ordinal)];
        foreach (var key in remaining)
        {
            var updated = key with { ReplicaRegions = regions };
            if (key.State == KeyState.PendingReplicaDeletion && regions.Count == 0)
            {
                updated = updated with { State = KeyState.PendingDeletion, DeletionDate = time.GetUtcNow().AddDays(key.PendingDeletionWindowInDays ?? 30) };
            }

            await s.Kms.UpdateKeyAsync(updated, ct);
        }
    }

    private static async ValueTask SetReplicaRegionsAsync(IStoreSession s, Guid keyId, IReadOnlyList<string> regions, string except, CancellationToken ct)
    {
        foreach (var key in (await s.Kms.ListKeyRegionsAsync(keyId, ct)).Where(k => k.Region != except))
        {
            await s.Kms.UpdateKeyAsync(key with { ReplicaRegions = regions }, ct);
        }
    }

    private static void RequirePrimary(KmsKey key)
    {
        if (!key.MultiRegion)
        {
            throw KmsErrors.Unsupported($"{key.Arn} is not a multi-Region key.");
        }

        if (key.IsReplica)
        {
            throw KmsErrors.Unsupported($"{key.Arn} is a multi-Region replica key: call this operation on the primary key in {key.PrimaryRegion}.");
        }
    }
}
