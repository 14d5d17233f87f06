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
        return await audit.WriteChangeAsync(call, s =>
        {
            var primary = ResolveKeyOnly(s, call, input.KeyId);
            RequirePrimary(primary);
            Authorize(call, primary, "kms:ReplicateKey", new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase)
            {
                ["kms:ReplicaRegion"] = [input.ReplicaRegion],
            }, s);
            RequireNotPendingDeletion(primary);
            if (input.ReplicaRegion == primary.Region || s.Kms.FindKey(primary.KeyId, input.ReplicaRegion) is not null)
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
            authorizer.Authorize(call, new AccessRequest("kms:CreateKey", "*") { ConditionKeys = ResourceTags.RequestConditions(input.Tags) }, s);
            if (input.Policy is not null)
            {
                RequireNoLockout(call, replica, input.BypassPolicyLockoutSafetyCheck, s);
            }

            var regions = (IReadOnlyList<string>)[.. primary.ReplicaRegions.Append(input.ReplicaRegion).Order(StringComparer.Ordinal)];
            s.Kms.InsertKey(replica with { ReplicaRegions = regions });
            SetReplicaRegions(s, primary.KeyId, regions, except: input.ReplicaRegion);
            return replica with { ReplicaRegions = regions };
        }, ct);
    }

    /// <summary>Makes the replica in <paramref name="primaryRegion"/> the primary key, and the current primary a replica.</summary>
    public async Task UpdatePrimaryRegionAsync(Call call, string keyId, string primaryRegion, CancellationToken ct)
    {
        await ResolveAsync(call, keyId, ct);
        await audit.WriteChangeAsync(call, s =>
        {
            var primary = ResolveKeyOnly(s, call, keyId);
            RequirePrimary(primary);
            var conditions = new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase) { ["kms:PrimaryRegion"] = [primaryRegion] };
            Authorize(call, primary, "kms:UpdatePrimaryRegion", conditions, s);
            if (primaryRegion == primary.Region)
            {
                throw KmsErrors.Unsupported($"{primary.Arn} is already the primary key in {primaryRegion}.");
            }

            var replica = s.Kms.FindKey(primary.KeyId, primaryRegion) ?? throw KmsErrors.KeyNotFound(KmsArns.Key(primaryRegion, primary.AccountId, primary.KeyId));

            // As in AWS, the caller needs kms:UpdatePrimaryRegion on the replica too.
            Authorize(call, replica, "kms:UpdatePrimaryRegion", conditions, s);
            foreach (var key in (KmsKey[])[primary, replica])
            {
                RequireUsable(key);
            }

            var regions = (IReadOnlyList<string>)[.. primary.ReplicaRegions.Where(r => r != primaryRegion).Append(primary.Region).Order(StringComparer.Ordinal)];
            foreach (var key in s.Kms.ListKeyRegions(primary.KeyId))
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

                s.Kms.UpdateKey(moved);
            }

            return true;
        }, ct);
    }

    /// <summary>The rotation status a replica shows: its primary's, since rotation is shared.</summary>
    private KmsKey RotationHolder(KmsKey key) =>
        key.IsReplica ? store.Read(s => s.Kms.FindKey(key.KeyId, key.PrimaryRegion!)) ?? key : key;

    /// <summary>After a rotation of a multi-Region primary, every replica encrypts with the new material version.</summary>
    private static void ShareRotation(IStoreSession s, KmsKey primary)
    {
        foreach (var replica in s.Kms.ListKeyRegions(primary.KeyId).Where(k => k.Region != primary.Region))
        {
            s.Kms.UpdateKey(replica with { CurrentMaterialVersion = primary.CurrentMaterialVersion, Rotations = primary.Rotations });
        }
    }

    /// <summary>A replica has been deleted: the others forget it, and a primary waiting for its replicas to go
    /// (<c>PendingReplicaDeletion</c>) starts its own waiting period once the last one has.</summary>
    private void ForgetReplica(IStoreSession s, KmsKey deleted)
    {
        var remaining = s.Kms.ListKeyRegions(deleted.KeyId);
        var regions = (IReadOnlyList<string>)[.. remaining.Where(k => k.Region != deleted.PrimaryRegion).Select(k => k.Region).Order(StringComparer.Ordinal)];
        foreach (var key in remaining)
        {
            var updated = key with { ReplicaRegions = regions };
            if (key.State == KeyState.PendingReplicaDeletion && regions.Count == 0)
            {
                updated = updated with { State = KeyState.PendingDeletion, DeletionDate = time.GetUtcNow().AddDays(key.PendingDeletionWindowInDays ?? 30) };
            }

            s.Kms.UpdateKey(updated);
        }
    }

    private static void SetReplicaRegions(IStoreSession s, Guid keyId, IReadOnlyList<string> regions, string except)
    {
        foreach (var key in s.Kms.ListKeyRegions(keyId).Where(k => k.Region != except))
        {
            s.Kms.UpdateKey(key with { ReplicaRegions = regions });
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
