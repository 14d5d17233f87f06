using Coffer.Server.Aws.Protocol;

namespace Coffer.Server.Aws.Kms;

public sealed record UpdatePrimaryRegionRequest(string KeyId, string PrimaryRegion);

public static class UpdatePrimaryRegion
{
    public static JsonOperation Operation { get; } = JsonOperation.Create(
        "UpdatePrimaryRegion", static () => KmsJson.Default.UpdatePrimaryRegionRequest, static () => KmsJson.Default.Empty,
        async (s, call, r, ct) =>
        {
            await s.Keys.UpdatePrimaryRegionAsync(call, r.KeyId, r.PrimaryRegion, ct);
            return new Empty();
        });
}
