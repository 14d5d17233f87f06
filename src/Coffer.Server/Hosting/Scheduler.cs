using Coffer.Core.Storage;
using Microsoft.Extensions.Logging;

namespace Coffer.Server.Hosting;

/// <summary>
/// Runs due scheduled work (key rotation and deletion, and what later services add) on an interval,
/// on the server's <see cref="TimeProvider"/>. Tests drive the same work directly through
/// <see cref="CofferServices.RunDueWorkAsync"/> with a fake clock instead of waiting.
/// </summary>
public sealed partial class Scheduler : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private volatile bool _holdsLease;
    private volatile bool _askedLease;

    public Scheduler(CofferServices services, TimeSpan interval, ILogger logger)
    {
        if (interval == Timeout.InfiniteTimeSpan)
        {
            // Disabled: whoever started the server drives scheduled work itself (tests, with a fake clock).
            _loop = Task.CompletedTask;
            return;
        }

        _loop = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(interval, services.Time);
            try
            {
                while (await timer.WaitForNextTickAsync(_stop.Token))
                {
                    if (services.Keyring.IsSealed || !HoldsLease(services, logger))
                    {
                        continue;
                    }

                    try
                    {
                        var count = await services.RunDueWorkAsync(_stop.Token);
                        Telemetry.ServerMetrics.ScheduledRun(ok: true, count);
                        if (count > 0)
                        {
                            Log.ScheduledWorkDone(logger, count);
                        }
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        Telemetry.ServerMetrics.ScheduledRun(ok: false, 0);
                        Log.ScheduledWorkFailed(logger, e);
                    }
                }
            }
            catch (OperationCanceledException)
            {
                // Stopping.
            }
        });
    }

    /// <summary>Whether this node runs scheduled work, as its last round found: null when it has not
    /// asked for the lease yet (before the first round) or never will (scheduling off).</summary>
    public bool? RunsHere => _askedLease ? _holdsLease : null;

    /// <summary>Several nodes on one store: only the lease holder runs the work (issue 10). A node
    /// alone on its store always holds it.</summary>
    private bool HoldsLease(CofferServices services, ILogger logger)
    {
        var holds = services.Store.TryHoldScheduleLease();
        if (holds != _holdsLease)
        {
            _holdsLease = holds;
            if (holds)
            {
                LogLeaseTaken(logger);
            }
            else
            {
                LogLeaseLost(logger);
            }
        }

        _askedLease = true;
        return holds;
    }

    [LoggerMessage(EventId = 1500, Level = LogLevel.Information, Message = "This node runs scheduled work now (it holds the schedule lease)")]
    private static partial void LogLeaseTaken(ILogger logger);

    [LoggerMessage(EventId = 1501, Level = LogLevel.Warning, Message = "This node no longer runs scheduled work (another node holds the schedule lease)")]
    private static partial void LogLeaseLost(ILogger logger);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }
}
