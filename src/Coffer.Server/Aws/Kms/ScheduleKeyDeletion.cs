using Coffer.Server.Aws.Protocol;

namespace Coffer.Server.Aws.Kms;

public sealed record ScheduleKeyDeletionRequest(string KeyId, int? PendingWindowInDays);

public sealed record ScheduleKeyDeletionResponse(string KeyId, DateTimeOffset? DeletionDate, string KeyState, int? PendingWindowInDays);

public static class ScheduleKeyDeletion
{
    public static JsonOperation Operation { get; } = JsonOperation.Create(
        "ScheduleKeyDeletion", static () => KmsJson.Default.ScheduleKeyDeletionRequest, static () => KmsJson.Default.ScheduleKeyDeletionResponse,
        async (s, call, r, ct) =>
        {
            var key = await s.Keys.ScheduleKeyDeletionAsync(call, r.KeyId, r.PendingWindowInDays, ct);
            return new ScheduleKeyDeletionResponse(key.Arn, key.DeletionDate, key.State.ToString(), key.PendingDeletionWindowInDays);
        });
}
