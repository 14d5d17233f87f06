using System.Diagnostics.Metrics;
using Coffer.Core.Diagnostics;

namespace Coffer.Server.Telemetry;

/// <summary>
/// The server's counters (on Core's meter <c>Coffer</c>): throttling, authentication failures, event
/// delivery and scheduled work. Labels are fixed words and AWS error codes, never an access key id,
/// an address or a resource name.
/// </summary>
internal static class ServerMetrics
{
    private static readonly Counter<long> Throttled = CofferMetrics.Meter.CreateCounter<long>("coffer.throttled", "{request}", "Requests refused by the rate limiter, by which bucket ran dry (address, access_key, signature_penalty).");

    private static readonly Counter<long> AuthFailures = CofferMetrics.Meter.CreateCounter<long>("coffer.auth.failures", "{request}", "Requests whose SigV4 authentication failed, by AWS error code.");

    private static readonly Counter<long> Deliveries = CofferMetrics.Meter.CreateCounter<long>("coffer.events.deliveries", "{delivery}", "Event deliveries to targets that ended, by outcome (delivered, dead_lettered, redriven).");

    private static readonly Histogram<double> DeliveryLag = CofferMetrics.Seconds("coffer.events.delivery.lag", "Time from a change event's creation to its delivery (or dead-lettering).", [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600]);

    private static readonly Counter<long> ScheduledRuns = CofferMetrics.Meter.CreateCounter<long>("coffer.scheduler.runs", "{run}", "Runs of the scheduled work loop, by outcome (ok, failed).");

    private static readonly Counter<long> ScheduledActions = CofferMetrics.Meter.CreateCounter<long>("coffer.scheduler.actions", "{action}", "Actions taken by scheduled work (keys deleted, rotations started, sessions expired).");

    public static void Throttle(string bucket) => Throttled.Add(1, new KeyValuePair<string, object?>("bucket", bucket));

    public static void AuthFailed(string errorCode) => AuthFailures.Add(1, new KeyValuePair<string, object?>("error_code", errorCode));

    public static void Delivered(string outcome, TimeSpan lag)
    {
        Deliveries.Add(1, new KeyValuePair<string, object?>("outcome", outcome));
        DeliveryLag.Record(Math.Max(0, lag.TotalSeconds));
    }

    public static void ScheduledRun(bool ok, int actions)
    {
        ScheduledRuns.Add(1, new KeyValuePair<string, object?>("outcome", ok ? "ok" : "failed"));
        if (actions > 0)
        {
            ScheduledActions.Add(actions);
        }
    }
}
