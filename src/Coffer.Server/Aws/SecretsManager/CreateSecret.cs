using Coffer.Core.Secrets;
using Coffer.Server.Aws.Protocol;

namespace Coffer.Server.Aws.SecretsManager;

public sealed record CreateSecretRequest(
    string Name,
    string? ClientRequestToken,
    string? Description,
    string? KmsKeyId,
    byte[]? SecretBinary,
    string? SecretString,
    List<Tag>? Tags,
    List<ReplicaRegionType>? AddReplicaRegions,
    bool? ForceOverwriteReplicaSecret,
    string? Type);

public sealed record CreateSecretResponse(string ARN, string Name, string? VersionId, List<ReplicationStatusEntry>? ReplicationStatus);

public static class CreateSecret
{
    public static JsonOperation Operation { get; } = JsonOperation.Create(
        "CreateSecret", static () => SecretsManagerJson.Default.CreateSecretRequest, static () => SecretsManagerJson.Default.CreateSecretResponse,
        async (s, call, r, ct) =>
        {
            var result = await s.Secrets.CreateSecretAsync(call, new CreateSecretInput
            {
                Name = r.Name,
                ClientRequestToken = r.ClientRequestToken,
                Description = r.Description,
                KmsKeyId = r.KmsKeyId,
                Value = SecretValue.From(r.SecretString, r.SecretBinary),
                Tags = Tag.ToDomain(r.Tags),
                ReplicaRegions = [.. (r.AddReplicaRegions ?? []).Select(a => new ReplicaRegion(a.Region ?? throw SecretsErrors.InvalidParameter("Each replica needs a Region."), a.KmsKeyId))],
                ForceOverwriteReplicaSecret = r.ForceOverwriteReplicaSecret == true,
            }, ct);
            return new CreateSecretResponse(result.Arn, result.Name, result.VersionId,
                result.Replicas.Count == 0 ? null : [.. result.Replicas.Select(x => new ReplicationStatusEntry(x.Region, x.KmsKeyId, x.Status, x.StatusMessage))]);
        });
}
