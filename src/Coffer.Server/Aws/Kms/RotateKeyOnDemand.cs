using Coffer.Server.Aws.Protocol;

namespace Coffer.Server.Aws.Kms;

public static class RotateKeyOnDemand
{
    public static JsonOperation Operation { get; } = JsonOperation.Create(
        "RotateKeyOnDemand", static () => KmsJson.Default.KeyIdRequest, static () => KmsJson.Default.KeyIdResponse,
        async (s, call, r, ct) => new KeyIdResponse((await s.Keys.RotateKeyOnDemandAsync(call, r.KeyId, ct)).Id));
}
