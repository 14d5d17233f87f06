using Coffer.Core.Events;
using Coffer.Core.Storage;
using Microsoft.Extensions.Logging;

namespace Coffer.Server.Hosting;

/// <summary>
/// Delivers change events: one background loop reads the outbox in order from a persisted cursor,
/// matches each event against the enabled rules, and sends it to every matching target, retrying
/// with backoff. The cursor moves past an event only once every target took it or it was
/// dead-lettered, so an event outstanding at a crash is delivered after the restart (at least
/// once), and events are delivered in outbox order (so in order per resource).
/// </summary>
public sealed partial class EventDispatcher : IAsyncDisposable
{
    private const int BatchSize = 100;
    private readonly CofferServices _services;
    private readonly EventDelivery _options;
    private readonly ILogger _logger;
    private readonly HttpClient _http;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public EventDispatcher(CofferServices services, EventDelivery options, ILogger logger)
    {
        _services = services;
        _options = options;
        _logger = logger;
        _http = new HttpClient { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
        _loop = options.Enabled ? Task.Run(LoopAsync) : Task.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
        _http.Dispose();
    }

    /// <summary>Delivers what is due now (redriven dead letters, then the outbox); returns how many events it handled.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        // Delivery decrypts connection secrets through the caches: they must be current, as for a request.
        await _services.Changes.CatchUpAsync(ct);
        var handled = 0;
        foreach (var letter in await _services.Store.ReadAsync((s, ct) => s.Rules.DeadLettersAsync(redriveRequestedOnly: true, ct), ct))
        {
            await RedriveAsync(letter, ct);
            handled++;
        }

        var cursor = await _services.Store.ReadAsync((s, ct) => s.Rules.DeliveryCursorAsync(ct), ct);
        foreach (var stored in await _services.Store.ReadAsync((s, ct) => s.Events.ReadAfterAsync(cursor, BatchSize, ct), ct))
        {
            var failures = new List<DeadLetter>();
            foreach (var target in await _services.Rules.MatchAsync(stored.Event, ct))
            {
                var (ok, attempts, error) = await DeliverWithRetriesAsync(stored.Event, target, ct);
                Telemetry.ServerMetrics.Delivered(ok ? "delivered" : "dead_lettered", _services.Time.GetUtcNow() - stored.Event.Time);
                if (!ok)
                {
                    failures.Add(new DeadLetter(0, stored.Sequence, stored.Event.Id, target.RuleArn, target.TargetId, target.TargetArn, attempts, error, _services.Time.GetUtcNow(), false));
                    LogDeadLettered(_logger, stored.Event.Id, target.TargetArn, attempts);
                }
            }

            await _services.Store.WriteAsync(
                async (s, ct) =>
                {
                    foreach (var failure in failures)
                    {
                        await s.Rules.AddDeadLetterAsync(failure, ct);
                    }

                    await s.Rules.SetDeliveryCursorAsync(stored.Sequence, ct);
                    return true;
                },
                ct);
            handled++;
        }

        return handled;
    }

    private async Task RedriveAsync(DeadLetter letter, CancellationToken ct)
    {
        var stored = (await _services.Store.ReadAsync((s, ct) => s.Events.ReadAfterAsync(letter.Sequence - 1, 1, ct), ct)).FirstOrDefault(e => e.Sequence == letter.Sequence);
        if (stored is null)
        {
            await _services.Store.WriteAsync(
                async (s, ct) =>
                {
                    await s.Rules.DeleteDeadLetterAsync(letter.Id, ct);
                    return true;
                },
                ct);
            return;
        }

        var target = await _services.Rules.ResolveAsync(letter.RuleArn, letter.TargetId, letter.TargetArn, ct);
        var (ok, attempts, error) = await DeliverWithRetriesAsync(stored.Event, target, ct);
        Telemetry.ServerMetrics.Delivered(ok ? "redriven" : "dead_lettered_again", _services.Time.GetUtcNow() - stored.Event.Time);
        await _services.Store.WriteAsync(
            async (s, ct) =>
            {
                if (ok)
                {
                    await s.Rules.DeleteDeadLetterAsync(letter.Id, ct);
                }
                else
                {
                    await s.Rules.UpdateDeadLetterAsync(letter.Id, letter.Attempts + attempts, error, _services.Time.GetUtcNow(), ct);
                }

                return true;
            },
            ct);
    }

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var handled = 0;
            try
            {
                // Several nodes on one store: only the lease holder delivers, so each event goes out once.
                if (!_services.Keyring.IsSealed && _services.Store.TryHoldScheduleLease())
                {
                    handled = await RunOnceAsync(_stop.Token);
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                LogDispatchFailed(_logger, e);
            }

            if (handled == 0)
            {
                try
                {
                    await Task.Delay(_options.PollInterval, _stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    [LoggerMessage(EventId = 1400, Level = LogLevel.Error, Message = "Event delivery failed; retrying on the next poll")]
    private static partial void LogDispatchFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1401, Level = LogLevel.Warning, Message = "Event {EventId} dead-lettered for {TargetArn} after {Attempts} attempts")]
    private static partial void LogDeadLettered(ILogger logger, string eventId, string targetArn, int attempts);

    [LoggerMessage(EventId = 1402, Level = LogLevel.Debug, Message = "Event {EventId} to {TargetArn}: attempt {Attempt} failed: {Reason}")]
    private static partial void LogAttemptFailed(ILogger logger, string eventId, string targetArn, int attempt, string reason);
}
