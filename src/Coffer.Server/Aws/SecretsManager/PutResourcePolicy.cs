using Coffer.Server.Aws.Protocol;

namespace Coffer.Server.Aws.SecretsManager;

public sealed record PutResourcePolicyRequest(string SecretId, string ResourcePolicy, bool? BlockPublicPolicy);

public static class PutResourcePolicy
{
    public static JsonOperation Operation { get; } = JsonOperation.Create(
        "PutResourcePolicy", static () => SecretsManagerJson.Default.PutResourcePolicyRequest, static () => SecretsManagerJson.Default.ArnNameResponse,
        async (s, call, r, ct) =>
        {
            var secret = await s.Secrets.PutResourcePolicyAsync(call, r.SecretId, r.ResourcePolicy, r.BlockPublicPolicy == true, ct);
            return new ArnNameResponse(secret.Arn, secret.Name);
        });
}
