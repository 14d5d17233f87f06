using Coffer.Core.Kms;
using Coffer.Server.Aws.Protocol;

namespace Coffer.Server.Aws.Kms;

public sealed record TagResourceRequest(string KeyId, List<Tag> Tags);

public static class TagResource
{
    public static JsonOperation Operation { get; } = JsonOperation.Create(
        "TagResource", static () => KmsJson.Default.TagResourceRequest, static () => KmsJson.Default.Empty,
        async (s, call, r, ct) =>
        {
            await s.Keys.TagResourceAsync(call, r.KeyId, [.. r.Tags.Select(t => new ResourceTag(t.TagKey, t.TagValue))], ct);
            return new Empty();
        });
}
