using Coffer.Core.Storage;

namespace Coffer.Core.Tests.Storage;

/// <summary>
/// Requests on a store of several nodes share the read of the generations (issue 10), but never one
/// that started before they called: each still sees every change committed before it.
/// </summary>
public sealed class GenerationCheckTests
{
    [Fact]
    public async Task Callers_join_the_next_read_to_start_never_one_already_in_flight()
    {
        var store = new GatedGenerations();
        var check = new GenerationCheck(feed: null, store);
        var dropped = new List<string>();
        check.Changed += dropped.Add;

        var first = check.CatchUpAsync(CancellationToken.None);
        Assert.Equal(1, store.Reads);

        // Committed while the first read is in flight: that read may not see it, so the callers
        // that come now must wait for a read that starts after them.
        store.Generation = 2;
        var second = check.CatchUpAsync(CancellationToken.None);
        var third = check.CatchUpAsync(CancellationToken.None);
        Assert.Equal(1, store.Reads);

        store.Release();
        await first;
        Assert.Equal(["secrets"], dropped);
        await WaitUntilAsync(() => store.Reads == 2);
        Assert.False(second.IsCompleted);
        Assert.False(third.IsCompleted);

        store.Release();
        await Task.WhenAll(second, third);
        Assert.Equal(["secrets", "secrets"], dropped);
        Assert.Equal(2, store.Reads);

        // Nobody waiting: the next caller starts a read of its own.
        var fourth = check.CatchUpAsync(CancellationToken.None);
        Assert.Equal(3, store.Reads);
        store.Release();
        await fourth;
        Assert.Equal(["secrets", "secrets"], dropped);
    }

    [Fact]
    public async Task A_failed_read_fails_only_its_callers_and_the_next_caller_reads_again()
    {
        var store = new GatedGenerations();
        var check = new GenerationCheck(feed: null, store);

        var failing = check.CatchUpAsync(CancellationToken.None);
        store.Fail(new CofferException(ErrorCodes.ServiceUnavailable, "down"));
        var error = await Assert.ThrowsAsync<CofferException>(() => failing);
        Assert.Equal(ErrorCodes.ServiceUnavailable, error.Code);

        var next = check.CatchUpAsync(CancellationToken.None);
        await WaitUntilAsync(() => store.Reads == 2);
        store.Release();
        await next;
    }

    [Fact]
    public async Task A_caller_that_stops_waiting_leaves_the_read_to_the_others()
    {
        var store = new GatedGenerations();
        var check = new GenerationCheck(feed: null, store);
        using var abort = new CancellationTokenSource();

        var leaving = check.CatchUpAsync(abort.Token);
        var staying = check.CatchUpAsync(CancellationToken.None);
        await abort.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => leaving);

        store.Release();
        await WaitUntilAsync(() => store.Reads == 2);
        store.Release();
        await staying;
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 500 && !condition(); i++)
        {
            await Task.Delay(10);
        }

        Assert.True(condition());
    }

    /// <summary>Each read takes the generation as it is when the read starts and returns when released.</summary>
    private sealed class GatedGenerations : IStoreGenerations
    {
        private readonly Queue<TaskCompletionSource> _pending = new();
        private readonly Lock _gate = new();
        private int _reads;

        public long Generation { get; set; } = 1;

        public int Reads => Volatile.Read(ref _reads);

        public async ValueTask<IReadOnlyList<(string Topic, long Generation)>> ReadGenerationsAsync(CancellationToken cancellationToken)
        {
            var seen = Generation;
            var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (_gate)
            {
                _pending.Enqueue(release);
            }

            Interlocked.Increment(ref _reads);
            await release.Task;
            return [("secrets", seen)];
        }

        public void Release() => Next().TrySetResult();

        public void Fail(Exception e) => Next().TrySetException(e);

        private TaskCompletionSource Next()
        {
            // The read may be about to start on another thread: wait for it to be queued.
            for (var i = 0; i < 500; i++)
            {
                lock (_gate)
                {
                    if (_pending.TryDequeue(out var next))
                    {
                        return next;
                    }
                }

                Thread.Sleep(10);
            }

            throw new InvalidOperationException("No read was started.");
        }
    }
}
