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
        meter.CreateObservableGauge("coffer.events.pending", () => Safely(() => PendingEvents(services)), "{event}", $"Change events not yet delivered (capped at {PendingCap}).");
        meter.CreateObservableGauge("coffer.events.oldest_pending.age", () => Safely(() => OldestPendingAge(services)), "s", "Age of the oldest undelivered change event; 0 when none waits.");
        meter.CreateObservableGauge("coffer.events.dead_letters", () => Safely(() => services.Store.Read(s => s.Rules.DeadLetters(false).Count)), "{event}", "Event deliveries in the dead-letter list, waiting for a redrive.");
        if (!options.Dev)
        {
            meter.CreateObservableGauge("coffer.disk.free", () => new DriveInfo(Path.GetFullPath(options.DataDir)).AvailableFreeSpace, "By", "Free bytes on the data directory's disk.");
        }
    }

    public static int PendingEvents(CofferServices services) =>
        services.Store.Read(s => s.Events.ReadAfter(s.Rules.DeliveryCursor(), PendingCap).Count);

    public static double OldestPendingAge(CofferServices services) =>
        services.Store.Read(s => s.Events.ReadAfter(s.Rules.DeliveryCursor(), 1)) is [var oldest, ..]
            ? Math.Max(0, (services.Time.GetUtcNow() - oldest.Event.Time).TotalSeconds)
            : 0;

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
