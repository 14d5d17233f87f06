using System.Diagnostics.Metrics;
using Coffer.Core.Diagnostics;
using Coffer.Server.Hosting;

namespace Coffer.Server.Telemetry;

/// <summary>
/// What one server's state is at scrape time: seal state, the event backlog, dead letters and the
/// data directory's free disk. Observed on a meter the host owns (and disposes with itself), so the
/// callbacks never outlive their server.
/// </summary>
internal static class ServerGauges
{
    /// <summary>The most events counted as pending; a larger backlog reads as this.</summary>
    public const int PendingCap = 1000;

    public static void Register(IMeterFactory factory, CofferServices services, CofferServerOptions options)
    {
        var meter = factory.Create(CofferMetrics.MeterName);
        meter.CreateObservableGauge("coffer.sealed", () => services.Keyring.IsSealed ? 1 : 0, "{state}", "1 while the server is sealed (every API call refused), else 0.");
        meter.CreateObservableGauge("coffer.audit.failing", () => services.Pipeline.AuditFailing ? 1 : 0, "{state}", "1 while the last audit append failed (calls are refused), else 0.");
        meter.CreateObservableGauge("coffer.events.pending", () => Safely(() => Now(PendingEventsAsync(services, CancellationToken.None))), "{event}", $"Change events not yet delivered (capped at {PendingCap}).");
        meter.CreateObservableGauge("coffer.events.oldest_pending.age", () => Safely(() => Now(OldestPendingAgeAsync(services, CancellationToken.None))), "s", "Age of the oldest undelivered change event; 0 when none waits.");
        meter.CreateObservableGauge("coffer.events.dead_letters", () => Safely(() => Now(DeadLettersAsync(services, CancellationToken.None))), "{event}", "Event deliveries in the dead-letter list, waiting for a redrive.");
        if (!options.Dev)
        {
            meter.CreateObservableGauge("coffer.disk.free", () => new DriveInfo(Path.GetFullPath(options.DataDir)).AvailableFreeSpace, "By", "Free bytes on the data directory's disk.");
        }
    }

    public static ValueTask<int> PendingEventsAsync(CofferServices services, CancellationToken ct) =>
        services.Store.ReadAsync(async (s, ct) => (await s.Events.ReadAfterAsync(await s.Rules.DeliveryCursorAsync(ct), PendingCap, ct)).Count, ct);

    public static async ValueTask<double> OldestPendingAgeAsync(CofferServices services, CancellationToken ct) =>
        await services.Store.ReadAsync(async (s, ct) => await s.Events.ReadAfterAsync(await s.Rules.DeliveryCursorAsync(ct), 1, ct), ct) is [var oldest, ..]
            ? Math.Max(0, (services.Time.GetUtcNow() - oldest.Event.Time).TotalSeconds)
            : 0;

    public static ValueTask<int> DeadLettersAsync(CofferServices services, CancellationToken ct) =>
        services.Store.ReadAsync(async (s, ct) => (await s.Rules.DeadLettersAsync(false, ct)).Count, ct);

    /// <summary>The value a read gives, waited for here: a meter's callbacks are synchronous. On SQLite the
    /// read has completed already; on PostgreSQL the scrape's thread waits, as the v1 read did.</summary>
    private static double Now<T>(ValueTask<T> read)
        where T : IConvertible =>
        Convert.ToDouble(read.IsCompletedSuccessfully ? read.Result : read.AsTask().GetAwaiter().GetResult(), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A store that cannot be read leaves the gauge out of the scrape (readiness says why) rather than failing it.</summary>
    private static IEnumerable<Measurement<double>> Safely(Func<double> read)
    {
        double value;
        try
        {
            value = read();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return [];
        }

        return [new Measurement<double>(value)];
    }
}
