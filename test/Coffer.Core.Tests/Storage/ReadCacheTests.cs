using Coffer.Core.Storage;

namespace Coffer.Core.Tests.Storage;

/// <summary>The hot reads' cache keeps to its bounds in bytes as well as in entries (issue 11).</summary>
public sealed class ReadCacheTests
{
    [Fact]
    public async Task A_region_whose_entries_outweigh_its_byte_bound_starts_again_empty()
    {
        var store = new CountingStore();
        var cache = new ReadCache(store, new GenerationCheck(store), maxEntriesPerRegion: 1_000, maxBytesPerRegion: 10_000);
        var values = cache.For<int, byte[]>(StoreChange.Secrets, static (_, v) => ReadCacheWeights.Of(v));

        for (var i = 0; i < 100; i++)
        {
            await values.GetAsync(i, i, static (_, i, _) => new ValueTask<byte[]>(new byte[1_000]));
            Assert.True(values.Size.Bytes <= 10_000, $"{values.Size.Bytes} bytes cached after {i + 1} values");
        }

        // Far fewer than the 1,000 entries the count bound allows: the byte bound emptied the region.
        Assert.InRange(values.Size.Entries, 1, 10);
        Assert.Equal(100, store.Reads);
        await values.GetAsync(99, 99, static (_, _, _) => new ValueTask<byte[]>(new byte[1_000]));
        Assert.Equal(100, store.Reads);
        await values.GetAsync(0, 0, static (_, _, _) => new ValueTask<byte[]>(new byte[1_000]));
        Assert.Equal(101, store.Reads);
    }

    [Fact]
    public async Task A_value_larger_than_the_whole_region_is_read_each_time_and_not_kept()
    {
        var store = new CountingStore();
        var cache = new ReadCache(store, new GenerationCheck(store), maxEntriesPerRegion: 1_000, maxBytesPerRegion: 10_000);
        var values = cache.For<int, byte[]>(StoreChange.Secrets, static (_, v) => ReadCacheWeights.Of(v));
        await values.GetAsync(1, 1, static (_, _, _) => new ValueTask<byte[]>(new byte[100]));

        await values.GetAsync(2, 2, static (_, _, _) => new ValueTask<byte[]>(new byte[20_000]));
        await values.GetAsync(2, 2, static (_, _, _) => new ValueTask<byte[]>(new byte[20_000]));

        Assert.Equal(3, store.Reads);
        Assert.Equal(1, values.Size.Entries);
    }

    [Fact]
    public async Task Replacing_an_entry_after_a_change_does_not_count_its_old_weight()
    {
        var store = new CountingStore();
        var cache = new ReadCache(store, new GenerationCheck(store), maxEntriesPerRegion: 1_000, maxBytesPerRegion: 10_000);
        var values = cache.For<int, byte[]>(StoreChange.Secrets, static (_, v) => ReadCacheWeights.Of(v));

        for (var i = 0; i < 50; i++)
        {
            await values.GetAsync(7, 7, static (_, _, _) => new ValueTask<byte[]>(new byte[1_000]));
            store.Announce(StoreChange.Secrets);
        }

        Assert.Equal(50, store.Reads);
        Assert.Equal((1, ReadCacheWeights.Of(new byte[1_000])), values.Size);
    }

    [Fact]
    public async Task A_hit_completes_at_once_and_allocates_nothing()
    {
        var store = new CountingStore();
        var cache = new ReadCache(store, new GenerationCheck(store), maxEntriesPerRegion: 1_000, maxBytesPerRegion: 10_000);
        var values = cache.For<int, byte[]>(StoreChange.Secrets, static (_, v) => ReadCacheWeights.Of(v));
        // One delegate for both: a lambda's cached delegate is made on its first use, which would count.
        Func<IStoreSession, int, CancellationToken, ValueTask<byte[]>> load = static (_, _, _) => new ValueTask<byte[]>(new byte[10]);
        await values.GetAsync(3, 3, load);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var allCompleted = true;
        for (var i = 0; i < 100; i++)
        {
            allCompleted &= values.GetAsync(3, 3, load).IsCompletedSuccessfully;
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.True(allCompleted);
        Assert.Equal(1, store.Reads);
    }

    /// <summary>A store that counts its reads and announces changes immediately, as SQLite's does.</summary>
    private sealed class CountingStore : ICofferStore, IStoreChangeFeed
    {
        public event Action<string>? Changed;

        public int Reads { get; private set; }

        public bool Immediate => true;

        public void Announce(string topic) => Changed?.Invoke(topic);

        public async ValueTask<T> ReadAsync<T>(Func<IStoreSession, CancellationToken, ValueTask<T>> work, CancellationToken cancellationToken = default)
        {
            Reads++;
            return await work(null!, cancellationToken);
        }

        public Task<T> WriteAsync<T>(Func<IStoreSession, CancellationToken, ValueTask<T>> work, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task WipeAsync(CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
