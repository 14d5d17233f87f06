using Coffer.Core.Kms;

namespace Coffer.Core.Secrets;

public sealed record ReplicaRegion(string Region, string? KmsKeyId);

/// <summary>
/// Multi-Region secrets. A replica is a row in its own Region with the primary's name and random suffix
/// (so its ARN is the primary's with the Region changed) and its own KmsKeyId; it holds nothing else.
/// Read in its Region, it shows the primary's description, versions, tags, policy and rotation, so it is
/// always in step: the values are stored once, under the primary's ARN and KMS key, and a replica's reads
/// decrypt them there. Changes are made on the primary only (InvalidParameterException on a replica,
/// with AWS's text). StopReplicationToReplica copies the values into the replica, re-encrypted under its
/// own key and ARN, and makes it a standalone secret.
/// </summary>
public sealed partial class SecretService
{
    /// <summary>What a replica allows: reads, and being promoted.</summary>
    private static readonly HashSet<string> ReplicaActions = new(StringComparer.Ordinal)
    {
        "secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret", "secretsmanager:ListSecretVersionIds",
        "secretsmanager:GetResourcePolicy", "secretsmanager:ValidateResourcePolicy", "secretsmanager:StopReplicationToReplica",
    };

    /// <summary>A row as its Region sees it: a replica row shows its primary's content under its own ARN.</summary>
    private static ValueTask<Secret?> ViewAsync(Storage.IStoreSession s, Secret? row, CancellationToken ct) =>
        row is not { IsReplica: true } ? new ValueTask<Secret?>(row) : ReplicaViewAsync(s, row, ct);

    private static async ValueTask<Secret?> ReplicaViewAsync(Storage.IStoreSession s, Secret row, CancellationToken ct)
    {
        if (await s.Secrets.FindAsync(row.StorageArn, ct) is not { } primary)
        {
            return row;
        }

        return primary with
        {
            Region = row.Region,
            PrimaryRegion = primary.Region,
            KmsKeyId = row.KmsKeyId,
            CreatedDate = row.CreatedDate,
            LastAccessedDate = row.LastAccessedDate,
            Replicas = [],
        };
    }

    public async Task<Secret> ReplicateSecretToRegionsAsync(Call call, string secretId, IReadOnlyList<ReplicaRegion> regions, bool forceOverwrite, CancellationToken ct)
    {
        await LoadAsync(call, secretId, "secretsmanager:ReplicateSecretToRegions", ct);
        return await audit.WriteChangeAsync(call, async (s, ct) =>
        {
            var primary = await LoadAsync(s, call, secretId, "secretsmanager:ReplicateSecretToRegions", ct);
            RequireNotDeleted(primary);
            var updated = await AddReplicasAsync(s, primary, regions, forceOverwrite, ct);
            await s.Secrets.UpdateAsync(updated, ct);
            return updated;
        }, ct);
    }

    /// <summary>Adds replica rows in the given Regions (a name taken there fails that replica, unless overwritten) and lists them on the primary.</summary>
    private async ValueTask<Secret> AddReplicasAsync(Storage.IStoreSession s, Secret primary, IReadOnlyList<ReplicaRegion> regions, bool forceOverwrite, CancellationToken ct)
    {
        var replicas = primary.Replicas.ToList();
        foreach (var region in regions)
        {
            if (region.Region == primary.Region || replicas.Any(r => r.Region == region.Region))
            {
                throw SecretsErrors.InvalidParameter($"The secret {primary.Name} is already in Region {region.Region}.");
            }

            var now = time.GetUtcNow();
            if (await s.Secrets.FindByNameAsync(primary.AccountId, region.Region, primary.Name, ct) is { } taken)
            {
                if (!forceOverwrite)
                {
                    // As AWS reports it: the replica fails, the call does not.
                    replicas.Add(new SecretReplica(region.Region, region.KmsKeyId, SecretReplica.Failed, $"Replication failed: Secret name already exists in region {region.Region}."));
                    continue;
                }

                await s.Secrets.DeleteAsync(taken.Arn, ct);
            }

            await s.Secrets.InsertAsync(new Secret
            {
                AccountId = primary.AccountId,
                Region = region.Region,
                Name = primary.Name,
                Suffix = primary.Suffix,
                KmsKeyId = region.KmsKeyId,
                CreatedDate = now,
                LastChangedDate = now,
                PrimaryRegion = primary.Region,
            }, ct);
            replicas.Add(new SecretReplica(region.Region, region.KmsKeyId, SecretReplica.InSync, "Replication succeeded"));
        }

        return primary with { PrimaryRegion = primary.Region, Replicas = replicas, LastChangedDate = time.GetUtcNow() };
    }

    public async Task<Secret> RemoveRegionsFromReplicationAsync(Call call, string secretId, IReadOnlyList<string> regions, CancellationToken ct)
    {
        await LoadAsync(call, secretId, "secretsmanager:RemoveRegionsFromReplication", ct);
        return await audit.WriteChangeAsync(call, async (s, ct) =>
        {
            var primary = await LoadAsync(s, call, secretId, "secretsmanager:RemoveRegionsFromReplication", ct);
            foreach (var region in regions)
            {
                var replica = primary.Replicas.FirstOrDefault(r => r.Region == region)
                    ?? throw SecretsErrors.InvalidParameter($"The secret {primary.Name} has no replica in Region {region}.");
                if (await s.Secrets.FindByNameAsync(primary.AccountId, region, primary.Name, ct) is { IsReplica: true } row && row.StorageArn == primary.Arn)
                {
                    await s.Secrets.DeleteAsync(row.Arn, ct);
                }

                primary = primary with { Replicas = [.. primary.Replicas.Where(r => r != replica)] };
            }

            // A primary left without replicas is an ordinary secret again: no PrimaryRegion, as before replication.
            primary = primary.Replicas.Count == 0 ? primary with { PrimaryRegion = null } : primary;
            await s.Secrets.UpdateAsync(primary, ct);
            return primary;
        }, ct);
    }

    /// <summary>Makes a replica a standalone secret in its Region: its versions and values are copied from the
    /// primary, re-encrypted under the replica's key and its own ARN, and the primary forgets it.</summary>
    public async Task<Secret> StopReplicationToReplicaAsync(Call call, string secretId, CancellationToken ct)
    {
        var replica = await LoadAsync(call, secretId, "secretsmanager:StopReplicationToReplica", ct);
        if (!replica.IsReplica)
        {
            throw SecretsErrors.InvalidRequest($"The secret {replica.Name} in {replica.Region} is not a replica: call StopReplicationToReplica in the replica's Region.");
        }

        var copies = new List<(string VersionId, EncryptResult Encrypted)>();
        foreach (var version in replica.Versions.Where(v => v.HasValue))
        {
            var value = await DecryptAsync(call, replica, version, ct);
            copies.Add((version.VersionId, await EncryptAsync(call, replica.KmsKeyId, replica.Arn, version.VersionId, value, ct)));
        }

        return await audit.WriteChangeAsync(call, async (s, ct) =>
        {
            var current = await LoadAsync(s, call, secretId, "secretsmanager:StopReplicationToReplica", ct);
            if (!current.IsReplica || current.Versions.Count != replica.Versions.Count)
            {
                throw SecretsErrors.InvalidRequest("The primary secret changed while the replica was being promoted; try again.");
            }

            var standalone = current with
            {
                PrimaryRegion = null,
                Replicas = [],
                RotationEnabled = null,
                RotationLambdaArn = null,
                RotationRules = null,
                NextRotation = null,
                LastChangedDate = time.GetUtcNow(),
                Versions = [.. current.Versions.Select(v => copies.FirstOrDefault(c => c.VersionId == v.VersionId) is { Encrypted: { } e } ? v with { KmsKeyArn = e.KeyArn } : v)],
            };
            await s.Secrets.UpdateAsync(standalone, ct);
            foreach (var (versionId, encrypted) in copies)
            {
                await s.Secrets.InsertValueAsync(standalone.Arn, versionId, encrypted.CiphertextBlob, ct);
            }

            if (await s.Secrets.FindAsync(replica.StorageArn, ct) is { } primary)
            {
                List<SecretReplica> remaining = [.. primary.Replicas.Where(r => r.Region != replica.Region)];
                await s.Secrets.UpdateAsync(primary with { Replicas = remaining, PrimaryRegion = remaining.Count == 0 ? null : primary.PrimaryRegion }, ct);
            }

            return standalone;
        }, ct);
    }

    private static void RequireNoReplicas(Secret secret)
    {
        if (secret.Replicas.Count > 0)
        {
            throw SecretsErrors.HasReplicas(secret.Arn, secret.Replicas.Select(r => r.Region));
        }
    }
}
