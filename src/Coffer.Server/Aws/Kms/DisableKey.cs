using Coffer.Server.Aws.Protocol;

namespace Coffer.Server.Aws.Kms;

public static class DisableKey
{
    public static JsonOperation Operation { get; } = JsonOperation.Create(
        "DisableKey", static () => KmsJson.Default.KeyIdRequest, static () => KmsJson.Default.Empty,
        async (s, call, r, ct) =>
        {
            await s.Keys.DisableKeyAsync(call, r.KeyId, ct);
            return new Empty();
        });
}
