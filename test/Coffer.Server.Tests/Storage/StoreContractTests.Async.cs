using System.Globalization;
using Coffer.Core.Storage;

namespace Coffer.Server.Tests.Storage;

/// <summary>The asynchronous contract (issue 10, contract v2): reads whose work awaits, in one
/// snapshot; writes whose unit of work awaits, still one at a time on the store's writer, each in its
/// savepoint; and no read through the store from inside a write.</summary>
public abstract partial class StoreContractTests
{
    [StoreFact]
    public async Task An_async_read_sees_one_snapshot_while_a_write_commits_between_its_statements()
    {
        await Store.WriteAsync((s, ct) => s.Meta.SetAsync("snap", "before", ct));

        var (first, second) = await Store.ReadAsync(async (s, ct) =>
        {
            var first = await s.Meta.GetAsync("snap", ct);
            await Store.WriteAsync((w, c) => w.Meta.SetAsync("snap", "after", c), ct);
            return (first, await s.Meta.GetAsync("snap", ct));
        });

        Assert.Equal("before", first);
        Assert.Equal("before", second);
        Assert.Equal("after", await Store.ReadAsync((s, ct) => s.Meta.GetAsync("snap", ct)));
    }

    [StoreFact]
    public async Task Async_writes_run_one_at_a_time_even_when_their_work_awaits_so_no_update_is_lost()
    {
        await Store.WriteAsync((s, ct) => s.Meta.SetAsync("async.counter", "0", ct));
        var writes = Enumerable.Range(0, 50).Select(_ => Store.WriteAsync(async (s, ct) =>
        {
            var value = long.Parse((await s.Meta.GetAsync("async.counter", ct))!, CultureInfo.InvariantCulture);

            // Whatever runs here, the writer waits for this unit of work before it starts the next.
            await Task.Yield();
            await s.Meta.SetAsync("async.counter", (value + 1).ToString(CultureInfo.InvariantCulture), ct);
            return value;
        })).ToList();

        var seen = await Task.WhenAll(writes);

        Assert.Equal("50", await Store.ReadAsync((s, ct) => s.Meta.GetAsync("async.counter", ct)));
        Assert.Equal(Enumerable.Range(0, 50).Select(i => (long)i), seen.Order());
    }

    [StoreFact]
    public async Task An_async_write_that_throws_after_awaiting_undoes_only_itself()
    {
        var writes = Enumerable.Range(0, 30).Select(i => Store.WriteAsync(async (s, ct) =>
        {
            await s.Meta.SetAsync($"async.n.{i:D2}", "written", ct);
            await Task.Yield();
            return i % 3 == 0 ? throw new InvalidOperationException("this write fails after its change") : i;
        })).ToList();
        foreach (var (write, i) in writes.Select((w, i) => (w, i)))
        {
            if (i % 3 == 0)
            {
                await Assert.ThrowsAsync<InvalidOperationException>(() => write);
            }
            else
            {
                Assert.Equal(i, await write);
            }
        }

        var kept = await Store.ReadAsync(async (s, ct) =>
        {
            var found = new List<int>();
            foreach (var i in Enumerable.Range(0, 30))
            {
                if (await s.Meta.GetAsync($"async.n.{i:D2}", ct) is not null)
                {
                    found.Add(i);
                }
            }

            return found;
        });
        Assert.Equal(Enumerable.Range(0, 30).Where(i => i % 3 != 0), kept);
    }

    [StoreFact]
    public async Task A_read_inside_a_write_sees_the_write_through_its_session_and_cannot_go_through_the_store()
    {
        await Store.WriteAsync((s, ct) => s.Meta.SetAsync("inside", "committed", ct));

        var seen = await Store.WriteAsync(async (s, ct) =>
        {
            await s.Meta.SetAsync("inside", "uncommitted", ct);
            var throughSession = await s.Meta.GetAsync("inside", ct);
            var throughStore = await Record(() => Store.ReadAsync((r, c) => r.Meta.GetAsync("inside", c), ct).AsTask());
            return (throughSession, throughStore);
        });

        Assert.Equal("uncommitted", seen.throughSession);
        var refused = Assert.IsType<InvalidOperationException>(seen.throughStore);
        Assert.Contains("session the write was given", refused.Message, StringComparison.Ordinal);
        Assert.Equal("uncommitted", await Store.ReadAsync((s, ct) => s.Meta.GetAsync("inside", ct)));

        static async Task<Exception?> Record(Func<Task> read)
        {
            try
            {
                await read();
                return null;
            }
            catch (Exception e)
            {
                return e;
            }
        }
    }
}
