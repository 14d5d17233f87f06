using Coffer.Server.Aws.Protocol;

namespace Coffer.Server.Aws.SecretsManager;

public sealed record GetResourcePolicyResponse(string ARN, string Name, string? ResourcePolicy);

public static class GetResourcePolicy
{
    public static JsonOperation Operation { get; } = JsonOperation.Create(
        "GetResourcePolicy", static () => SecretsManagerJson.Default.SecretIdRequest, static () => SecretsManagerJson.Default.GetResourcePolicyResponse,
        async (s, call, r, ct) =>
        {
            var secret = await s.Secrets.GetResourcePolicyAsync(call, r.SecretId, ct);
            return new GetResourcePolicyResponse(secret.Arn, secret.Name, secret.ResourcePolicy);
        });
}
