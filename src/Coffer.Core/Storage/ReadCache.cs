using System.Collections.Concurrent;

namespace Coffer.Core.Storage;

/// <summary>
/// What the hot reads read on every call (KMS key records, parameters, secrets and their encrypted
/// values), kept in memory between calls (issue 11). An entry remembers the generation of its topic
/// (<see cref="StoreChange"/>) read before it was loaded; every committed change to the topic moves
/// the generation on, so the entry is not used again. The changes come from the node's
/// <see cref="GenerationCheck"/>: on SQLite as each write commits, on PostgreSQL at the start of each
/// request, from the generations in the database. Either way a revoked key, a changed policy or a
/// new version takes effect on the very next request, on every node.
/// </summary>
/// <remarks>What is cached is what the store holds: values stay encrypted (a secret's value and a
/// SecureString are ciphertext here), so the cache holds no plaintext a store would not.</remarks>
public sealed class ReadCache
{
    /// <summary>How many entries one region keeps before it starts again empty.</summary>
    public const int MaxEntriesPerRegion = 20_000;

    /// <summary>How many bytes (as its regions weigh their entries) one region keeps before it starts
    /// again empty: a region of 20,000 secrets of 64 KB each would otherwise hold 1.3 GB.</summary>
    public const long MaxBytesPerRegion = 16L * 1024 * 1024;

    private readonly ICofferStore _store;
    private readonly ConcurrentDictionary<string, StrongBox> _generations = new(StringComparer.Ordinal);
    private readonly int _maxEntries;
    private readonly long _maxBytes;

    public ReadCache(ICofferStore store, GenerationCheck changes, int maxEntriesPerRegion = MaxEntriesPerRegion, long maxBytesPerRegion = MaxBytesPerRegion)
    {
        _store = store;
        _maxEntries = maxEntriesPerRegion;
        _maxBytes = maxBytesPerRegion;
        if (changes.Enabled)
        {
            Enabled = true;
            changes.Changed += Changed;
        }
    }

    /// <summary>Whether reads are cached at all (the store announces its changes in time; see <see cref="GenerationCheck"/>).</summary>
    public bool Enabled { get; }

    /// <summary>A region of the cache: one kind of record, invalidated by one topic.
    /// <paramref name="weigh"/> estimates the bytes an entry holds (key and value), for the byte bound.</summary>
    public Region<TKey, TValue> For<TKey, TValue>(string topic, Func<TKey, TValue, long> weigh)
        where TKey : notnull => new(this, Generation(topic), weigh);

    private StrongBox Generation(string topic) => _generations.GetOrAdd(topic, static _ => new StrongBox());

    private void Changed(string topic)
    {
        if (StoreChange.IsAll(topic))
        {
            foreach (var generation in _generations.Values)
            {
                Interlocked.Increment(ref generation.Value);
            }

            return;
        }

        Interlocked.Increment(ref Generation(topic).Value);
    }

    internal sealed class StrongBox
    {
        public long Value;
    }

    public sealed class Region<TKey, TValue>
        where TKey : notnull
    {
        private readonly ReadCache _cache;
        private readonly StrongBox _generation;
        private readonly Func<TKey, TValue, long> _weigh;
        private readonly ConcurrentDictionary<TKey, Entry> _entries = new();
        private long _bytes;

        internal Region(ReadCache cache, StrongBox generation, Func<TKey, TValue, long> weigh)
        {
            _cache = cache;
            _generation = generation;
            _weigh = weigh;
        }

        /// <summary>How many entries the region holds now, and what they weigh.</summary>
        public (int Entries, long Bytes) Size
        {
            get
            {
                lock (_entries)
                {
                    return (_entries.Count, _bytes);
                }
            }
        }

        /// <summary>The value for <paramref name="key"/>: cached if nothing of its topic changed since it was
        /// read (a hit completes at once), else read in one snapshot by <paramref name="load"/>.</summary>
        public ValueTask<TValue> GetAsync<TState>(TKey key, TState state, Func<IStoreSession, TState, CancellationToken, ValueTask<TValue>> load, CancellationToken cancellationToken = default)
        {
            if (!_cache.Enabled)
            {
                return Uncached(state, load, cancellationToken);
            }

            // The generation before the read: a change committed during the read moves it on, so the
            // entry made from a snapshot older than that change is never used.
            var generation = Volatile.Read(ref _generation.Value);
            return _entries.TryGetValue(key, out var entry) && entry.Generation == generation
                ? new ValueTask<TValue>(entry.Value)
                : LoadAsync(key, generation, state, load, cancellationToken);
        }

        private async ValueTask<TValue> LoadAsync<TState>(TKey key, long generation, TState state, Func<IStoreSession, TState, CancellationToken, ValueTask<TValue>> load, CancellationToken cancellationToken) =>
            Keep(key, generation, await Uncached(state, load, cancellationToken));

        // Apart from GetAsync: a lambda capturing its parameters would allocate its closure on every call, hits included.
        private ValueTask<TValue> Uncached<TState>(TState state, Func<IStoreSession, TState, CancellationToken, ValueTask<TValue>> load, CancellationToken cancellationToken) =>
            _cache._store.ReadAsync((s, ct) => load(s, state, ct), cancellationToken);

        /// <summary>Keeps <paramref name="value"/>, read after <paramref name="generation"/> was seen, unless it outweighs the region.</summary>
        private TValue Keep(TKey key, long generation, TValue value)
        {
            var weight = _weigh(key, value);
            if (weight > _cache._maxBytes)
            {
                return value; // larger than the whole region: not kept
            }

            // Only a miss takes the lock; a hit reads the dictionary alone.
            lock (_entries)
            {
                if (_entries.TryGetValue(key, out var replaced))
                {
                    _bytes -= replaced.Weight;
                }

                if (_entries.Count >= _cache._maxEntries || _bytes + weight > _cache._maxBytes)
                {
                    _entries.Clear();
                    _bytes = 0;
                }

                _entries[key] = new Entry(generation, value, weight);
                _bytes += weight;
            }

            return value;
        }

        private sealed record Entry(long Generation, TValue Value, long Weight);
    }
}
