using Coffer.Core.Kms;
using Coffer.Server.Aws.Protocol;

namespace Coffer.Server.Aws.Kms;

public sealed record CreateKeyRequest(
    string? Policy,
    string? Description,
    string? KeyUsage,
    string? CustomerMasterKeySpec,
    string? KeySpec,
    string? Origin,
    string? CustomKeyStoreId,
    bool? BypassPolicyLockoutSafetyCheck,
    List<Tag>? Tags,
    bool? MultiRegion,
    string? XksKeyId);

public sealed record KeyMetadataResponse(KeyMetadata KeyMetadata);

public static class CreateKey
{
    public static JsonOperation Operation { get; } = JsonOperation.Create(
        "CreateKey", static () => KmsJson.Default.CreateKeyRequest, static () => KmsJson.Default.KeyMetadataResponse,
        async (s, call, r, ct) =>
        {
            var key = await s.Keys.CreateKeyAsync(call, new CreateKeyInput
            {
                Policy = r.Policy,
                Description = r.Description,
                KeyUsage = r.KeyUsage,
                KeySpec = r.KeySpec ?? r.CustomerMasterKeySpec,
                Origin = r.Origin,
                CustomKeyStoreId = r.CustomKeyStoreId,
                MultiRegion = r.MultiRegion,
                XksKeyId = r.XksKeyId,
                BypassPolicyLockoutSafetyCheck = r.BypassPolicyLockoutSafetyCheck == true,
                Tags = [.. (r.Tags ?? []).Select(t => new ResourceTag(t.TagKey, t.TagValue))],
            }, ct);
            return new KeyMetadataResponse(KeyMetadata.From(key));
        });
}
