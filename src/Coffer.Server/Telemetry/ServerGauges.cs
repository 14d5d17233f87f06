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

    /// <summary>Registers the gauges; the store-backed ones report what <paramref name="sample"/> last read.</summary>
    public static void Register(IMeterFactory factory, CofferServices services, CofferServerOptions options, StoreGaugeSample sample)
    {
        var meter = factory.Create(CofferMetrics.MeterName);
        meter.CreateObservableGauge("coffer.sealed", () => services.Keyring.IsSealed ? 1 : 0, "{state}", "1 while the server is sealed (every API call refused), else 0.");
        meter.CreateObservableGauge("coffer.audit.failing", () => services.Pipeline.AuditFailing ? 1 : 0, "{state}", "1 while the last audit append failed (calls are refused), else 0.");
        meter.CreateObservableGauge("coffer.events.pending", () => Sampled(sample.Current?.Pending), "{event}", $"Change events not yet delivered (capped at {PendingCap}).");
        meter.CreateObservableGauge("coffer.events.oldest_pending.age", () => Sampled(sample.Current?.OldestPendingAge), "s", "Age of the oldest undelivered change event; 0 when none waits.");
        meter.CreateObservableGauge("coffer.events.dead_letters", () => Sampled(sample.Current?.DeadLetters), "{event}", "Event deliveries in the dead-letter list, waiting for a redrive.");
        if (!options.Dev)
        {
            meter.CreateObservableGauge("coffer.disk.free", () => new DriveInfo(Path.GetFullPath(options.DataDir)).AvailableFreeSpace, "By", "Free bytes on the data directory's disk.");
        }
    }

    public static ValueTask<int> PendingEventsAsync(CofferServices services, CancellationToken ct) =>
        services.Store.ReadAsync((s, ct) => PendingEventsAsync(s, ct), ct);

    public static async ValueTask<double> OldestPendingAgeAsync(CofferServices services, CancellationToken ct) =>
        OldestPendingAge(services, await services.Store.ReadAsync((s, ct) => OldestPendingAsync(s, ct), ct));

    public static ValueTask<int> DeadLettersAsync(CofferServices services, CancellationToken ct) =>
        services.Store.ReadAsync((s, ct) => DeadLettersAsync(s, ct), ct);

    internal static async ValueTask<int> PendingEventsAsync(Coffer.Core.Storage.IStoreSession s, CancellationToken ct) =>
        (await s.Events.ReadAfterAsync(await s.Rules.DeliveryCursorAsync(ct), PendingCap, ct)).Count;

    internal static async ValueTask<Coffer.Core.Events.StoredEvent?> OldestPendingAsync(Coffer.Core.Storage.IStoreSession s, CancellationToken ct) =>
        await s.Events.ReadAfterAsync(await s.Rules.DeliveryCursorAsync(ct), 1, ct) is [var oldest, ..] ? oldest : null;

    internal static double OldestPendingAge(CofferServices services, Coffer.Core.Events.StoredEvent? oldest) =>
        oldest is null ? 0 : Math.Max(0, (services.Time.GetUtcNow() - oldest.Event.Time).TotalSeconds);

    internal static async ValueTask<int> DeadLettersAsync(Coffer.Core.Storage.IStoreSession s, CancellationToken ct) =>
        (await s.Rules.DeadLettersAsync(false, ct)).Count;

    /// <summary>A gauge whose store could not be read at the last sample is left out of the scrape
    /// (readiness says why) rather than failing it.</summary>
    private static IEnumerable<Measurement<double>> Sampled(double? value) =>
        value is { } v ? [new Measurement<double>(v)] : [];
}

/// <summary>
/// The store-backed gauges' values, read asynchronously before each scrape
/// (<see cref="TelemetrySetup.UseMetricsEndpoint"/>), in one snapshot. A meter's callbacks are
/// synchronous: reading the store in them made the scrape's thread wait on PostgreSQL.
/// </summary>
internal sealed class StoreGaugeSample(CofferServices services)
{
    public sealed record Values(double Pending, double OldestPendingAge, double DeadLetters);

    private volatile Values? _current;

    /// <summary>What the last refresh read; null before the first, or when the last could not read the store.</summary>
    public Values? Current => _current;

    public async Task RefreshAsync(CancellationToken ct)
    {
        try
        {
            _current = await services.Store.ReadAsync(
                async (s, ct) => new Values(
                    await ServerGauges.PendingEventsAsync(s, ct),
                    ServerGauges.OldestPendingAge(services, await ServerGauges.OldestPendingAsync(s, ct)),
                    await ServerGauges.DeadLettersAsync(s, ct)),
                ct);
        }
        catch (Exception e) when (e is not OutOfMemoryException && !ct.IsCancellationRequested)
        {
            _current = null;
        }
    }
}
