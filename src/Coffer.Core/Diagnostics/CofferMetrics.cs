using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Coffer.Core.Diagnostics;

/// <summary>
/// Coffer.Core's instruments (meter <c>Coffer</c>), recorded where the work happens: the call
/// pipeline, the store, the audit append, rotations and the in-memory caches. Labels name services,
/// operations, outcomes and error codes only, never a resource: a secret's or parameter's name
/// tells an attacker what to look for, so it stays out of metrics (and traces).
/// </summary>
/// <remarks>One meter for the process, as libraries do (Npgsql's, ASP.NET Core's): a process runs
/// one server, and an instrument nobody listens to costs a branch.</remarks>
public static class CofferMetrics
{
    public const string MeterName = "Coffer";

    private static readonly ConcurrentDictionary<string, string> ServiceNames = new(StringComparer.Ordinal);

    public static Meter Meter { get; } = new(MeterName, typeof(CofferMetrics).Assembly.GetName().Version?.ToString(3));

    private static readonly Counter<long> Calls = Meter.CreateCounter<long>("coffer.calls", "{call}", "Calls run through the call pipeline, by service, operation and outcome.");

    /// <summary>Bucket bounds for times of a call or part of one: half a millisecond to ten seconds.</summary>
    public static IReadOnlyList<double> CallBuckets { get; } = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private static readonly Histogram<double> CallDuration = Seconds("coffer.call.duration", "Time from the start of a call to its audit record being durable.");

    private static readonly Counter<long> Denied = Meter.CreateCounter<long>("coffer.calls.denied", "{call}", "Calls refused by policy evaluation (AccessDeniedException).");

    private static readonly Histogram<double> AuditAppend = Seconds("coffer.audit.append.duration", "Time to append a call's audit record and wait until it is durable.");

    private static readonly UpDownCounter<long> AuditPending = Meter.CreateUpDownCounter<long>("coffer.audit.appends.pending", "{record}", "Audit records waiting to be durable (the audit queue).");

    private static readonly Counter<long> AuditFailures = Meter.CreateCounter<long>("coffer.audit.append.failures", "{record}", "Audit appends that failed; each refused its call.");

    private static readonly Histogram<double> StoreDuration = Seconds("coffer.store.duration", "Time of a store read, or of a write including its wait for the single writer.");

    private static readonly UpDownCounter<long> StoreWritesPending = Meter.CreateUpDownCounter<long>("coffer.store.writes.pending", "{write}", "Writes queued for, or running in, the store's writer.");

    private static readonly Counter<long> Rotations = Meter.CreateCounter<long>("coffer.rotations", "{rotation}", "Secret rotations that ended, by outcome and the step they ended at.");

    private static readonly Counter<long> CacheLookups = Meter.CreateCounter<long>("coffer.cache.lookups", "{lookup}", "In-memory cache lookups, by cache and result (hit or miss).");

    /// <summary>A histogram in seconds, with bounds for calls (the SDK's default bounds are for milliseconds).</summary>
    public static Histogram<double> Seconds(string name, string description, IReadOnlyList<double>? buckets = null) =>
        Meter.CreateHistogram(name, "s", description, tags: null, new InstrumentAdvice<double> { HistogramBucketBoundaries = buckets ?? CallBuckets });

    /// <summary>A call's outcome as a label: success, denied, client_error, server_error or throttled.</summary>
    public static string Outcome(string? errorCode) => errorCode switch
    {
        null => "success",
        ErrorCodes.AccessDenied => "denied",
        ErrorCodes.Throttling => "throttled",
        ErrorCodes.InternalFailure or ErrorCodes.ServiceUnavailable => "server_error",
        _ => "client_error",
    };

    /// <summary>"kms" for kms.amazonaws.com: the service label.</summary>
    public static string Service(string eventSource) =>
        ServiceNames.GetOrAdd(eventSource, s => s.IndexOf('.', StringComparison.Ordinal) is var dot and > 0 ? s[..dot] : s);

    internal static void CallEnded(string eventSource, string eventName, string? errorCode, long startTimestamp)
    {
        var tags = new TagList
        {
            { "service", Service(eventSource) },
            { "operation", eventName },
            { "outcome", Outcome(errorCode) },
        };
        if (errorCode is not null)
        {
            tags.Add("error_code", errorCode);
        }

        Calls.Add(1, tags);
        CallDuration.Record(Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds, tags);
        if (errorCode == ErrorCodes.AccessDenied)
        {
            Denied.Add(1, new KeyValuePair<string, object?>("service", Service(eventSource)), new KeyValuePair<string, object?>("operation", eventName));
        }
    }

    internal static long AuditAppendStarted()
    {
        AuditPending.Add(1);
        return Stopwatch.GetTimestamp();
    }

    internal static void AuditAppendEnded(long startTimestamp, bool failed)
    {
        AuditPending.Add(-1);
        AuditAppend.Record(Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds);
        if (failed)
        {
            AuditFailures.Add(1);
        }
    }

    internal static void StoreRead(long startTimestamp) =>
        StoreDuration.Record(Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds, new KeyValuePair<string, object?>("operation", "read"));

    internal static long StoreWriteStarted()
    {
        StoreWritesPending.Add(1);
        return Stopwatch.GetTimestamp();
    }

    internal static void StoreWriteEnded(long startTimestamp)
    {
        StoreWritesPending.Add(-1);
        StoreDuration.Record(Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds, new KeyValuePair<string, object?>("operation", "write"));
    }

    /// <summary>A rotation ended: succeeded, failed or abandoned, at a step (createSecret...) or none.</summary>
    internal static void RotationEnded(string outcome, string? step) =>
        Rotations.Add(1, new KeyValuePair<string, object?>("outcome", outcome), new KeyValuePair<string, object?>("step", step ?? "none"));

    /// <summary>One lookup in a named in-memory cache; the hit ratio is hits over all lookups.</summary>
    public static void CacheLookup(string cache, bool hit) =>
        CacheLookups.Add(1, new KeyValuePair<string, object?>("cache", cache), new KeyValuePair<string, object?>("result", hit ? "hit" : "miss"));
}
