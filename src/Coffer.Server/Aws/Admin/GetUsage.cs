using Coffer.Server.Aws.Protocol;

namespace Coffer.Server.Aws.Admin;

public sealed record GetUsageRequest(DateTimeOffset? StartTime, DateTimeOffset? EndTime);

public sealed record UsageEntry(string EventSource, string EventName, long Count);

public sealed record GetUsageResponse(DateTimeOffset StartTime, DateTimeOffset EndTime, List<UsageEntry> Usage);

/// <summary>Calls per service and operation over a period (default: the last 30 days), counted from the audit trail.</summary>
public static class GetUsage
{
    public static JsonOperation Operation { get; } = JsonOperation.Create(
        "GetUsage", AdminJson.Default.GetUsageRequest, AdminJson.Default.GetUsageResponse,
        (s, call, r, _) =>
        {
            var end = r.EndTime ?? s.Time.GetUtcNow();
            var start = r.StartTime ?? end.AddDays(-30);
            var counts = s.Trail.Usage(call, start, end);
            return Task.FromResult(new GetUsageResponse(start, end, [.. counts.Select(c => new UsageEntry(c.EventSource, c.EventName, c.Count))]));
        });
}
