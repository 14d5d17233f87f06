using Coffer.Server.Aws.Protocol;

namespace Coffer.Server.Aws.Kms;

public static class DisableKeyRotation
{
    public static JsonOperation Operation { get; } = JsonOperation.Create(
        "DisableKeyRotation", KmsJson.Default.KeyIdRequest, KmsJson.Default.Empty,
        async (s, call, r, ct) =>
        {
            await s.Keys.DisableKeyRotationAsync(call, r.KeyId, ct);
            return new Empty();
        });
}
