using System.Text.Json;
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
    List<JsonElement>? AddReplicaRegions,
    bool? ForceOverwriteReplicaSecret,
    string? Type);

public sealed record CreateSecretResponse(string ARN, string Name, string? VersionId);

public static class CreateSecret
{
    public static JsonOperation Operation { get; } = JsonOperation.Create(
        "CreateSecret", SecretsManagerJson.Default.CreateSecretRequest, SecretsManagerJson.Default.CreateSecretResponse,
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
                ReplicaRegions = r.AddReplicaRegions is { Count: > 0 },
            }, ct);
            return new CreateSecretResponse(result.Arn, result.Name, result.VersionId);
        });
}
