using Coffer.Server.Aws.Protocol;

namespace Coffer.Server.Aws.Kms;

public sealed record UpdateKeyDescriptionRequest(string KeyId, string Description);

public static class UpdateKeyDescription
{
    public static JsonOperation Operation { get; } = JsonOperation.Create(
        "UpdateKeyDescription", static () => KmsJson.Default.UpdateKeyDescriptionRequest, static () => KmsJson.Default.Empty,
        async (s, call, r, ct) =>
        {
            await s.Keys.UpdateKeyDescriptionAsync(call, r.KeyId, r.Description, ct);
            return new Empty();
        });
}
