using Coffer.Core.Storage;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Coffer.Storage.Postgres;

/// <summary>
/// Listens for the changes every node's writer announces (NOTIFY, sent on commit) and raises them on
/// this node, so that its caches drop what another node changed. If the listening connection is lost,
/// notifications may have been missed: it reports <see cref="StoreChange.All"/> and listens again.
/// </summary>
internal sealed partial class ChangeListener : IAsyncDisposable
{
    private readonly PostgresStore _store;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public ChangeListener(PostgresStore store)
    {
        _store = store;
        _loop = Task.Run(LoopAsync);
    }

    public event Action<string>? Changed;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }

        _stop.Dispose();
    }

    private async Task LoopAsync()
    {
        var first = true;
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await using var connection = _store.OpenDedicated();
                connection.Notification += (_, e) => Raise(e.Payload);
                await using (var listen = new NpgsqlCommand("LISTEN " + PostgresStore.ChangeChannel, connection))
                {
                    await listen.ExecuteNonQueryAsync(_stop.Token);
                }

                if (!first)
                {
                    // Whatever was announced while we were not listening is lost: assume everything changed.
                    Raise(StoreChange.All);
                }

                first = false;
                while (true)
                {
                    await connection.WaitAsync(_stop.Token);
                }
            }
            catch (Exception e) when (e is NpgsqlException or IOException or Core.CofferException && !_stop.IsCancellationRequested)
            {
                LogListenLost(_store.Logger, e.GetType().Name);
                first = false;
                await Task.Delay(TimeSpan.FromSeconds(1), _stop.Token);
            }
        }
    }

    private void Raise(string payload)
    {
        foreach (var topic in payload.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            Changed?.Invoke(topic);
        }
    }

    [LoggerMessage(EventId = 2501, Level = LogLevel.Warning, Message = "Lost the connection that listens for other nodes' changes ({Fault}); every cache is dropped and listening resumes")]
    private static partial void LogListenLost(ILogger logger, string fault);
}

/// <summary>The change feed, as Core sees it.</summary>
public sealed partial class PostgresStore : IStoreChangeFeed
{
    internal const string ChangeChannel = "coffer_changes";

    private readonly ChangeListener _feed;

    public event Action<string>? Changed
    {
        add => _feed.Changed += value;
        remove => _feed.Changed -= value;
    }

    internal ILogger Logger => _logger;
}
