using Coffer.Core.Kms;
using Coffer.Server.Aws.Protocol;

namespace Coffer.Server.Aws.Ssm;

public sealed record AddTagsToResourceRequest(string ResourceType, string ResourceId, List<Tag> Tags);

public static class AddTagsToResource
{
    public static JsonOperation Operation { get; } = JsonOperation.Create(
        "AddTagsToResource", static () => SsmJson.Default.AddTagsToResourceRequest, static () => SsmJson.Default.Empty,
        async (s, call, r, ct) =>
        {
            await s.Parameters.AddTagsToResourceAsync(call, r.ResourceType, r.ResourceId, [.. r.Tags.Select(t => new ResourceTag(t.Key, t.Value))], ct);
            return new Empty();
        });
}
