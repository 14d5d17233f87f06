using Coffer.Server.Aws.Protocol;

namespace Coffer.Server.Aws.Ssm;

public sealed record ListTagsForResourceRequest(string ResourceType, string ResourceId);

public sealed record ListTagsForResourceResponse(List<Tag> TagList);

public static class ListTagsForResource
{
    public static JsonOperation Operation { get; } = JsonOperation.Create(
        "ListTagsForResource", static () => SsmJson.Default.ListTagsForResourceRequest, static () => SsmJson.Default.ListTagsForResourceResponse,
        async (s, call, r, ct) => new ListTagsForResourceResponse(
            [.. (await s.Parameters.ListTagsForResourceAsync(call, r.ResourceType, r.ResourceId, ct)).Select(t => new Tag(t.Key, t.Value))]));
}
