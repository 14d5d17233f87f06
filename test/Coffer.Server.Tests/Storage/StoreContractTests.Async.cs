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
        await Store.WriteAsync(s => s.Meta.Set("snap", "before"));

        var (first, second) = await Store.ReadAsync(async (s, ct) =>
        {
            var first = s.Meta.Get("snap");
            await Store.WriteAsync((w, _) =>
            {
                w.Meta.Set("snap", "after");
                return ValueTask.FromResult(true);
            }, ct);
            return (first, s.Meta.Get("snap"));
        });

        Assert.Equal("before", first);
        Assert.Equal("before", second);
        Assert.Equal("after", await Store.ReadAsync((s, _) => ValueTask.FromResult(s.Meta.Get("snap"))));
    }

    [StoreFact]
    public async Task Async_writes_run_one_at_a_time_even_when_their_work_awaits_so_no_update_is_lost()
    {
        await Store.WriteAsync(s => s.Meta.Set("async.counter", "0"));
        var writes = Enumerable.Range(0, 50).Select(_ => Store.WriteAsync(async (s, _) =>
        {
            var value = long.Parse(s.Meta.Get("async.counter")!, CultureInfo.InvariantCulture);

            // Whatever runs here, the writer waits for this unit of work before it starts the next.
            await Task.Yield();
            s.Meta.Set("async.counter", (value + 1).ToString(CultureInfo.InvariantCulture));
            return value;
        })).ToList();

        var seen = await Task.WhenAll(writes);

        Assert.Equal("50", await Store.ReadAsync((s, _) => ValueTask.FromResult(s.Meta.Get("async.counter"))));
        Assert.Equal(Enumerable.Range(0, 50).Select(i => (long)i), seen.Order());
    }

    [StoreFact]
    public async Task An_async_write_that_throws_after_awaiting_undoes_only_itself()
    {
        var writes = Enumerable.Range(0, 30).Select(i => Store.WriteAsync(async (s, _) =>
        {
            s.Meta.Set($"async.n.{i:D2}", "written");
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

        var kept = await Store.ReadAsync((s, _) => ValueTask.FromResult(Enumerable.Range(0, 30).Where(i => s.Meta.Get($"async.n.{i:D2}") is not null).ToList()));
        Assert.Equal(Enumerable.Range(0, 30).Where(i => i % 3 != 0), kept);
    }

    [StoreFact]
    public async Task A_read_inside_a_write_sees_the_write_through_its_session_and_cannot_go_through_the_store()
    {
        await Store.WriteAsync(s => s.Meta.Set("inside", "committed"));

        var seen = await Store.WriteAsync(async (s, ct) =>
        {
            s.Meta.Set("inside", "uncommitted");
            var throughSession = s.Meta.Get("inside");
            var throughStore = await Record(() => Store.ReadAsync((r, _) => ValueTask.FromResult(r.Meta.Get("inside")), ct).AsTask());
            return (throughSession, throughStore);
        });

        Assert.Equal("uncommitted", seen.throughSession);
        var refused = Assert.IsType<InvalidOperationException>(seen.throughStore);
        Assert.Contains("session the write was given", refused.Message, StringComparison.Ordinal);
        Assert.Equal("uncommitted", await Store.ReadAsync((s, _) => ValueTask.FromResult(s.Meta.Get("inside"))));

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
