using Coffer.Server.Aws.Protocol;

namespace Coffer.Server.Aws.SecretsManager;

public static class DeleteResourcePolicy
{
    public static JsonOperation Operation { get; } = JsonOperation.Create(
        "DeleteResourcePolicy", static () => SecretsManagerJson.Default.SecretIdRequest, static () => SecretsManagerJson.Default.ArnNameResponse,
        async (s, call, r, ct) =>
        {
            var secret = await s.Secrets.DeleteResourcePolicyAsync(call, r.SecretId, ct);
            return new ArnNameResponse(secret.Arn, secret.Name);
        });
}
