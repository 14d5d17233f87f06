using Coffer.Server.Aws.Protocol;

namespace Coffer.Server.Aws.Kms;

public sealed record ListResourceTagsRequest(string KeyId, int? Limit, string? Marker);

public sealed record ListResourceTagsResponse(IReadOnlyList<Tag> Tags, string? NextMarker, bool Truncated);

public static class ListResourceTags
{
    public static JsonOperation Operation { get; } = JsonOperation.Create(
        "ListResourceTags", static () => KmsJson.Default.ListResourceTagsRequest, static () => KmsJson.Default.ListResourceTagsResponse,
        async (s, call, r, ct) =>
        {
            var page = await s.Keys.ListResourceTagsAsync(call, r.KeyId, r.Limit, r.Marker, ct);
            return new ListResourceTagsResponse([.. page.Items.Select(t => new Tag(t.Key, t.Value))], page.NextMarker, page.Truncated);
        });
}
