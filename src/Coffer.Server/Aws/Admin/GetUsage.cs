using Coffer.Server.Aws.Protocol;

namespace Coffer.Server.Aws.Admin;

public sealed record GetUsageRequest(DateTimeOffset? StartTime, DateTimeOffset? EndTime);

public sealed record UsageEntry(string EventSource, string EventName, long Count);

/// <summary><paramref name="Usage"/>: the account's own calls, what AWS would bill. <paramref name="InternalUsage"/>:
/// records of Coffer's own work (a rotation's steps, an expiry, a scheduled deletion), which AWS
/// records as service events and does not bill.</summary>
public sealed record GetUsageResponse(DateTimeOffset StartTime, DateTimeOffset EndTime, List<UsageEntry> Usage, List<UsageEntry> InternalUsage);

/// <summary>Calls per service and operation over a period (default: the last 30 days), counted from the audit trail.</summary>
public static class GetUsage
{
    public static JsonOperation Operation { get; } = JsonOperation.Create(
        "GetUsage", static () => AdminJson.Default.GetUsageRequest, static () => AdminJson.Default.GetUsageResponse,
        async (s, call, r, ct) =>
        {
            var end = r.EndTime ?? s.Time.GetUtcNow();
            var start = r.StartTime ?? end.AddDays(-30);
            var counts = await s.Trail.UsageAsync(call, start, end, ct);
            return new GetUsageResponse(
                start,
                end,
                [.. counts.Where(c => !c.ByCoffer).Select(Entry)],
                [.. counts.Where(c => c.ByCoffer).Select(Entry)]);
        });

    private static UsageEntry Entry(Core.Audit.UsageCount c) => new(c.EventSource, c.EventName, c.Count);
}
