using Coffer.Server.Aws.Protocol;

namespace Coffer.Server.Aws.SecretsManager;

public sealed record UntagResourceRequest(string SecretId, List<string> TagKeys);

public static class UntagResource
{
    public static JsonOperation Operation { get; } = JsonOperation.Create(
        "UntagResource", static () => SecretsManagerJson.Default.UntagResourceRequest, static () => SecretsManagerJson.Default.Empty,
        async (s, call, r, ct) =>
        {
            await s.Secrets.UntagResourceAsync(call, r.SecretId, r.TagKeys, ct);
            return new Empty();
        });
}
