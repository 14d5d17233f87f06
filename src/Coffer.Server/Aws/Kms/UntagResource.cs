using Coffer.Server.Aws.Protocol;

namespace Coffer.Server.Aws.Kms;

public sealed record UntagResourceRequest(string KeyId, List<string> TagKeys);

public static class UntagResource
{
    public static JsonOperation Operation { get; } = JsonOperation.Create(
        "UntagResource", static () => KmsJson.Default.UntagResourceRequest, static () => KmsJson.Default.Empty,
        async (s, call, r, ct) =>
        {
            await s.Keys.UntagResourceAsync(call, r.KeyId, r.TagKeys, ct);
            return new Empty();
        });
}
