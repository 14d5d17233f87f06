using Coffer.Server.Aws.Protocol;

namespace Coffer.Server.Aws.Kms;

public static class DisableKeyRotation
{
    public static JsonOperation Operation { get; } = JsonOperation.Create(
        "DisableKeyRotation", static () => KmsJson.Default.KeyIdRequest, static () => KmsJson.Default.Empty,
        async (s, call, r, ct) =>
        {
            await s.Keys.DisableKeyRotationAsync(call, r.KeyId, ct);
            return new Empty();
        });
}
