using Coffer.Core.Secrets;
using Coffer.Server.Aws.Protocol;

namespace Coffer.Server.Aws.SecretsManager;

public sealed record PutSecretValueRequest(string SecretId, string? ClientRequestToken, byte[]? SecretBinary, string? SecretString, List<string>? VersionStages, string? RotationToken);

public sealed record PutSecretValueResponse(string ARN, string Name, string? VersionId, List<string> VersionStages);

public static class PutSecretValue
{
    public static JsonOperation Operation { get; } = JsonOperation.Create(
        "PutSecretValue", static () => SecretsManagerJson.Default.PutSecretValueRequest, static () => SecretsManagerJson.Default.PutSecretValueResponse,
        async (s, call, r, ct) =>
        {
            var result = await s.Secrets.PutSecretValueAsync(call, r.SecretId, r.ClientRequestToken, SecretValue.From(r.SecretString, r.SecretBinary), r.VersionStages, ct);
            return new PutSecretValueResponse(result.Arn, result.Name, result.VersionId, [.. result.Stages]);
        });
}
