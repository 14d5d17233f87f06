using Coffer.Server.Aws.Protocol;

namespace Coffer.Server.Aws.Kms;

public sealed record EnableKeyRotationRequest(string KeyId, int? RotationPeriodInDays);

public static class EnableKeyRotation
{
    public static JsonOperation Operation { get; } = JsonOperation.Create(
        "EnableKeyRotation", static () => KmsJson.Default.EnableKeyRotationRequest, static () => KmsJson.Default.Empty,
        async (s, call, r, ct) =>
        {
            await s.Keys.EnableKeyRotationAsync(call, r.KeyId, r.RotationPeriodInDays, ct);
            return new Empty();
        });
}
