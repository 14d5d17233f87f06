using Coffer.Server.Aws.Protocol;

namespace Coffer.Server.Aws.Kms;

public sealed record KeyIdResponse(string KeyId);

public static class CancelKeyDeletion
{
    public static JsonOperation Operation { get; } = JsonOperation.Create(
        "CancelKeyDeletion", static () => KmsJson.Default.KeyIdRequest, static () => KmsJson.Default.KeyIdResponse,
        async (s, call, r, ct) => new KeyIdResponse((await s.Keys.CancelKeyDeletionAsync(call, r.KeyId, ct)).Arn));
}
