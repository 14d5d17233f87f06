using Coffer.Core.Secrets;
using Coffer.Server.Aws.Protocol;

namespace Coffer.Server.Aws.SecretsManager;

public sealed record ReplicaRegionType(string? Region, string? KmsKeyId);

public sealed record ReplicateSecretToRegionsRequest(string SecretId, List<ReplicaRegionType> AddReplicaRegions, bool? ForceOverwriteReplicaSecret);

public sealed record RemoveRegionsFromReplicationRequest(string SecretId, List<string> RemoveReplicaRegions);

public sealed record ReplicationResponse(string ARN, List<ReplicationStatusEntry>? ReplicationStatus);

/// <summary>ReplicateSecretToRegions, RemoveRegionsFromReplication and StopReplicationToReplica (see SecretService.Replication).</summary>
public static class Replication
{
    public static JsonOperation Replicate { get; } = JsonOperation.Create(
        "ReplicateSecretToRegions", static () => SecretsManagerJson.Default.ReplicateSecretToRegionsRequest, static () => SecretsManagerJson.Default.ReplicationResponse,
        async (s, call, r, ct) =>
        {
            var regions = r.AddReplicaRegions.Select(a => new ReplicaRegion(a.Region ?? throw SecretsErrors.InvalidParameter("Each replica needs a Region."), a.KmsKeyId)).ToList();
            var secret = await s.Secrets.ReplicateSecretToRegionsAsync(call, r.SecretId, regions, r.ForceOverwriteReplicaSecret == true, ct);
            return new ReplicationResponse(secret.Arn, ReplicationStatusEntry.From(secret));
        });

    public static JsonOperation Remove { get; } = JsonOperation.Create(
        "RemoveRegionsFromReplication", static () => SecretsManagerJson.Default.RemoveRegionsFromReplicationRequest, static () => SecretsManagerJson.Default.ReplicationResponse,
        async (s, call, r, ct) =>
        {
            var secret = await s.Secrets.RemoveRegionsFromReplicationAsync(call, r.SecretId, r.RemoveReplicaRegions, ct);
            return new ReplicationResponse(secret.Arn, ReplicationStatusEntry.From(secret));
        });

    public static JsonOperation Stop { get; } = JsonOperation.Create(
        "StopReplicationToReplica", static () => SecretsManagerJson.Default.SecretIdRequest, static () => SecretsManagerJson.Default.ReplicationResponse,
        async (s, call, r, ct) => new ReplicationResponse((await s.Secrets.StopReplicationToReplicaAsync(call, r.SecretId, ct)).Arn, null));
}
