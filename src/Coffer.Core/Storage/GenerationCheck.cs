using System.Collections.Concurrent;

namespace Coffer.Core.Storage;

/// <summary>
/// A store shared by several nodes keeps a generation per <see cref="StoreChange"/> topic, moved in
/// the same transaction as every change to the topic (so it is seen if and only if the change is).
/// </summary>
public interface IStoreGenerations
{
    /// <summary>Every topic's generation as committed now: one cheap round trip. A topic never changed may be missing.</summary>
    ValueTask<IReadOnlyList<(string Topic, long Generation)>> ReadGenerationsAsync(CancellationToken cancellationToken);
}

/// <summary>
/// What every cache of this node follows to know when a change may have made it stale. On a store
/// one process writes (SQLite), the store's own feed, which announces each change before it is
/// acknowledged. On a store shared by several nodes (PostgreSQL), the generations in the store,
/// read once at the start of each request (<see cref="CatchUpAsync"/>): a topic whose generation is
/// not the one this node last saw has changed, and its caches are dropped before the request uses
/// them; this node's own changes are announced by its feed as well, before they are acknowledged.
/// So a change committed through any node takes effect on the very next request through every
/// node, and at once on the node that made it, whatever the caches hold.
/// </summary>
public sealed class GenerationCheck
{
    private readonly IStoreGenerations? _source;
    private readonly ConcurrentDictionary<string, long> _seen = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>The round whose read is in flight, and the one that starts when it ends.</summary>
    private Round? _running, _waiting;

    public GenerationCheck(ICofferStore store)
        : this(store.ChangeFeed, store.Generations)
    {
    }

    /// <summary>Follows <paramref name="feed"/> (this node's changes) and <paramref name="generations"/> (every node's), either of which may be missing.</summary>
    public GenerationCheck(IStoreChangeFeed? feed, IStoreGenerations? generations)
    {
        // This node's own changes, announced before they are acknowledged; on a store one process
        // writes, that is every change there is.
        if (feed is not null)
        {
            feed.Changed += topic => Changed?.Invoke(topic);
        }

        if (feed is { Immediate: true })
        {
            Enabled = true;
        }
        else if (generations is { } source)
        {
            // Other nodes' changes: the generations, read at the start of each request.
            Enabled = true;
            _source = source;
        }
    }

    /// <summary>Whether caches may keep what they read: some change is always announced to them in time.</summary>
    public bool Enabled { get; }

    /// <summary>Whether each request must call <see cref="CatchUpAsync"/> before it uses a cache.</summary>
    public bool PerRequest => _source is not null;

    /// <summary>Raised with a topic whose caches may be stale: by the store's feed, or during <see cref="CatchUpAsync"/>.</summary>
    public event Action<string>? Changed;

    /// <summary>
    /// Brings this node's caches up to every change committed before it was called (through any
    /// node); a no-op on a store whose feed is immediate. Call it at the start of a request, before
    /// anything cached is used.
    /// </summary>
    /// <remarks>
    /// Concurrent requests share reads: a caller joins the next read to start, never one already
    /// started (that one may have begun before a change the caller knows of was committed). So under
    /// load one round trip is in flight and at most one more waits to start, however many requests
    /// arrive, and each still sees every change committed before it called.
    /// </remarks>
    public Task CatchUpAsync(CancellationToken cancellationToken)
    {
        if (_source is null)
        {
            return Task.CompletedTask;
        }

        Round round;
        var start = false;
        lock (_gate)
        {
            if (_running is null)
            {
                _running = round = new Round();
                start = true;
            }
            else
            {
                round = _waiting ??= new Round();
            }
        }

        if (start)
        {
            _ = RunRoundsAsync(_source, round);
        }

        return round.Done.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Runs a round, then the one that waited for it, until none waits.</summary>
    private async Task RunRoundsAsync(IStoreGenerations source, Round? round)
    {
        while (round is not null)
        {
            try
            {
                // No caller's token: the read is everyone's who joined it; each stops waiting on its own.
                await ApplyAsync(source);
                round.Done.TrySetResult();
            }
            catch (Exception e)
            {
                round.Done.TrySetException(e);
            }

            lock (_gate)
            {
                round = _running = _waiting;
                _waiting = null;
            }
        }
    }

    private async Task ApplyAsync(IStoreGenerations source)
    {
        foreach (var (topic, generation) in await source.ReadGenerationsAsync(CancellationToken.None))
        {
            if (!_seen.TryGetValue(topic, out var seen) || seen != generation)
            {
                // Drop first, remember after: a request that finds the generation already seen relies
                // on the caches having been dropped for it.
                Changed?.Invoke(topic);
                _seen[topic] = generation;
            }
        }
    }

    /// <summary>One read of the generations and everyone waiting for it.</summary>
    private sealed class Round
    {
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
