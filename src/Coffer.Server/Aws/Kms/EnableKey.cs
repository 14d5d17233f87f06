using Coffer.Server.Aws.Protocol;

namespace Coffer.Server.Aws.Kms;

public static class EnableKey
{
    public static JsonOperation Operation { get; } = JsonOperation.Create(
        "EnableKey", static () => KmsJson.Default.KeyIdRequest, static () => KmsJson.Default.Empty,
        async (s, call, r, ct) =>
        {
            await s.Keys.EnableKeyAsync(call, r.KeyId, ct);
            return new Empty();
        });
}
