using Coffer.Server.Aws.Protocol;

namespace Coffer.Server.Aws.SecretsManager;

public static class CancelRotateSecret
{
    public static JsonOperation Operation { get; } = JsonOperation.Create(
        "CancelRotateSecret", static () => SecretsManagerJson.Default.SecretIdRequest, static () => SecretsManagerJson.Default.ArnNameVersionResponse,
        async (s, call, r, ct) =>
        {
            var result = await s.Secrets.CancelRotateSecretAsync(call, r.SecretId, ct);
            return new ArnNameVersionResponse(result.Arn, result.Name, result.VersionId);
        });
}
