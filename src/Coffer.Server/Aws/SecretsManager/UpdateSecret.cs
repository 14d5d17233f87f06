using Coffer.Core.Secrets;
using Coffer.Server.Aws.Protocol;

namespace Coffer.Server.Aws.SecretsManager;

public sealed record UpdateSecretRequest(string SecretId, string? ClientRequestToken, string? Description, string? KmsKeyId, byte[]? SecretBinary, string? SecretString, string? Type);

public static class UpdateSecret
{
    public static JsonOperation Operation { get; } = JsonOperation.Create(
        "UpdateSecret", static () => SecretsManagerJson.Default.UpdateSecretRequest, static () => SecretsManagerJson.Default.ArnNameVersionResponse,
        async (s, call, r, ct) =>
        {
            var result = await s.Secrets.UpdateSecretAsync(call, r.SecretId, r.ClientRequestToken, r.Description, r.KmsKeyId, SecretValue.From(r.SecretString, r.SecretBinary), ct);
            return new ArnNameVersionResponse(result.Arn, result.Name, result.VersionId);
        });
}
