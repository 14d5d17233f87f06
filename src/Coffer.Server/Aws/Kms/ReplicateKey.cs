using Coffer.Core.Kms;
using Coffer.Server.Aws.Protocol;

namespace Coffer.Server.Aws.Kms;

public sealed record ReplicateKeyRequest(
    string KeyId,
    string ReplicaRegion,
    string? Policy,
    bool? BypassPolicyLockoutSafetyCheck,
    string? Description,
    List<Tag>? Tags);

public sealed record ReplicateKeyResponse(KeyMetadata ReplicaKeyMetadata, string ReplicaPolicy, IReadOnlyList<Tag> ReplicaTags);

public static class ReplicateKey
{
    public static JsonOperation Operation { get; } = JsonOperation.Create(
        "ReplicateKey", static () => KmsJson.Default.ReplicateKeyRequest, static () => KmsJson.Default.ReplicateKeyResponse,
        async (s, call, r, ct) =>
        {
            var replica = await s.Keys.ReplicateKeyAsync(call, new ReplicateKeyInput(r.KeyId, r.ReplicaRegion)
            {
                Policy = r.Policy,
                Description = r.Description,
                BypassPolicyLockoutSafetyCheck = r.BypassPolicyLockoutSafetyCheck == true,
                Tags = [.. (r.Tags ?? []).Select(t => new ResourceTag(t.TagKey, t.TagValue))],
            }, ct);
            return new ReplicateKeyResponse(KeyMetadata.From(replica), replica.Policy, [.. replica.Tags.Select(t => new Tag(t.Key, t.Value))]);
        });
}
