using Coffer.Server.Aws.Protocol;

namespace Coffer.Server.Aws.Ssm;

public sealed record RemoveTagsFromResourceRequest(string ResourceType, string ResourceId, List<string> TagKeys);

public static class RemoveTagsFromResource
{
    public static JsonOperation Operation { get; } = JsonOperation.Create(
        "RemoveTagsFromResource", static () => SsmJson.Default.RemoveTagsFromResourceRequest, static () => SsmJson.Default.Empty,
        async (s, call, r, ct) =>
        {
            await s.Parameters.RemoveTagsFromResourceAsync(call, r.ResourceType, r.ResourceId, r.TagKeys, ct);
            return new Empty();
        });
}
