using Coffer.Core.Storage;

namespace Coffer.Core.Tests.Storage;

/// <summary>The hot reads' cache keeps to its bounds in bytes as well as in entries (issue 11).</summary>
public sealed class ReadCacheTests
{
    [Fact]
    public void A_region_whose_entries_outweigh_its_byte_bound_starts_again_empty()
    {
        var store = new CountingStore();
        var cache = new ReadCache(store, new GenerationCheck(store), maxEntriesPerRegion: 1_000, maxBytesPerRegion: 10_000);
        var values = cache.For<int, byte[]>(StoreChange.Secrets, static (_, v) => ReadCacheWeights.Of(v));

        for (var i = 0; i < 100; i++)
        {
            values.Get(i, i, static (_, i) => new byte[1_000]);
            Assert.True(values.Size.Bytes <= 10_000, $"{values.Size.Bytes} bytes cached after {i + 1} values");
        }

        // Far fewer than the 1,000 entries the count bound allows: the byte bound emptied the region.
        Assert.InRange(values.Size.Entries, 1, 10);
        Assert.Equal(100, store.Reads);
        values.Get(99, 99, static (_, _) => new byte[1_000]);
        Assert.Equal(100, store.Reads);
        values.Get(0, 0, static (_, _) => new byte[1_000]);
        Assert.Equal(101, store.Reads);
    }

    [Fact]
    public void A_value_larger_than_the_whole_region_is_read_each_time_and_not_kept()
    {
        var store = new CountingStore();
        var cache = new ReadCache(store, new GenerationCheck(store), maxEntriesPerRegion: 1_000, maxBytesPerRegion: 10_000);
        var values = cache.For<int, byte[]>(StoreChange.Secrets, static (_, v) => ReadCacheWeights.Of(v));
        values.Get(1, 1, static (_, _) => new byte[100]);

        values.Get(2, 2, static (_, _) => new byte[20_000]);
        values.Get(2, 2, static (_, _) => new byte[20_000]);

        Assert.Equal(3, store.Reads);
        Assert.Equal(1, values.Size.Entries);
    }

    [Fact]
    public void Replacing_an_entry_after_a_change_does_not_count_its_old_weight()
    {
        var store = new CountingStore();
        var cache = new ReadCache(store, new GenerationCheck(store), maxEntriesPerRegion: 1_000, maxBytesPerRegion: 10_000);
        var values = cache.For<int, byte[]>(StoreChange.Secrets, static (_, v) => ReadCacheWeights.Of(v));

        for (var i = 0; i < 50; i++)
        {
            values.Get(7, 7, static (_, _) => new byte[1_000]);
            store.Announce(StoreChange.Secrets);
        }

        Assert.Equal(50, store.Reads);
        Assert.Equal((1, ReadCacheWeights.Of(new byte[1_000])), values.Size);
    }

    /// <summary>A store that counts its reads and announces changes immediately, as SQLite's does.</summary>
    private sealed class CountingStore : ICofferStore, IStoreChangeFeed
    {
        public event Action<string>? Changed;

        public int Reads { get; private set; }

        public bool Immediate => true;

        public void Announce(string topic) => Changed?.Invoke(topic);

        public T Read<T>(Func<IStoreSession, T> work)
        {
            Reads++;
            return work(null!);
        }

        public async ValueTask<T> ReadAsync<T>(Func<IStoreSession, CancellationToken, ValueTask<T>> work, CancellationToken cancellationToken = default)
        {
            Reads++;
            return await work(null!, cancellationToken);
        }

        public Task<T> WriteAsync<T>(Func<IStoreSession, T> work, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<T> WriteAsync<T>(Func<IStoreSession, CancellationToken, ValueTask<T>> work, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task WipeAsync(CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
