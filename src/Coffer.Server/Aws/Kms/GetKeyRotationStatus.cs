using Coffer.Server.Aws.Protocol;

namespace Coffer.Server.Aws.Kms;

public sealed record GetKeyRotationStatusResponse(bool KeyRotationEnabled, string KeyId, int? RotationPeriodInDays, DateTimeOffset? NextRotationDate, DateTimeOffset? OnDemandRotationStartDate);

public static class GetKeyRotationStatus
{
    public static JsonOperation Operation { get; } = JsonOperation.Create(
        "GetKeyRotationStatus", static () => KmsJson.Default.KeyIdRequest, static () => KmsJson.Default.GetKeyRotationStatusResponse,
        async (s, call, r, ct) =>
        {
            var status = await s.Keys.GetKeyRotationStatusAsync(call, r.KeyId, ct);
            return new GetKeyRotationStatusResponse(status.Enabled, status.KeyArn, status.RotationPeriodInDays, status.NextRotationDate, status.OnDemandRotationStartDate);
        });
}
