using Coffer.Server.Aws.Protocol;

namespace Coffer.Server.Aws.SecretsManager;

public static class RestoreSecret
{
    public static JsonOperation Operation { get; } = JsonOperation.Create(
        "RestoreSecret", static () => SecretsManagerJson.Default.SecretIdRequest, static () => SecretsManagerJson.Default.ArnNameResponse,
        async (s, call, r, ct) =>
        {
            var secret = await s.Secrets.RestoreSecretAsync(call, r.SecretId, ct);
            return new ArnNameResponse(secret.Arn, secret.Name);
        });
}
