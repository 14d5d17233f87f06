using Coffer.Server.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace Coffer.Server.Tests.Security;

/// <summary>The unseal gate's backoff (issue 8), on a fake clock.</summary>
public sealed class UnsealGateTests
{
    [Fact]
    public async Task Each_wrong_passphrase_doubles_the_wait_before_the_next_attempt_up_to_the_ceiling()
    {
        var clock = new FakeTimeProvider();
        var gate = new UnsealGate(clock, 4, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(4));

        Assert.Equal(UnsealOutcome.Wrong, await gate.RunAsync(() => false, CancellationToken.None));
        Assert.Equal(TimeSpan.FromSeconds(1), gate.RetryAfter);

        foreach (var expected in new[] { 2, 4, 4 })
        {
            var next = gate.RunAsync(() => false, CancellationToken.None);
            Assert.False(next.IsCompleted);
            clock.Advance(gate.RetryAfter);
            Assert.Equal(UnsealOutcome.Wrong, await next);
            Assert.Equal(TimeSpan.FromSeconds(expected), gate.RetryAfter);
        }

        var right = gate.RunAsync(() => true, CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(4));
        Assert.Equal(UnsealOutcome.Unsealed, await right);
        Assert.Equal(TimeSpan.FromSeconds(1), gate.RetryAfter);
    }

    [Fact]
    public async Task Requests_past_the_queue_are_refused_at_once()
    {
        var clock = new FakeTimeProvider();
        var gate = new UnsealGate(clock, 2, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));
        Assert.Equal(UnsealOutcome.Wrong, await gate.RunAsync(() => false, CancellationToken.None));

        // The first waits out the delay, two wait behind it, the fourth is refused.
        var waiting = Enumerable.Range(0, 3).Select(_ => gate.RunAsync(() => false, CancellationToken.None)).ToList();
        Assert.Equal(UnsealOutcome.Busy, await gate.RunAsync(() => false, CancellationToken.None));
        Assert.Equal(1, gate.Attempts);

        // Each waiter starts its own delay once the one before it is done; move the clock until all are.
        for (var i = 0; i < 1000 && !waiting.All(t => t.IsCompleted); i++)
        {
            clock.Advance(TimeSpan.FromSeconds(60));
            await Task.Delay(10);
        }

        Assert.All(await Task.WhenAll(waiting), o => Assert.Equal(UnsealOutcome.Wrong, o));
        Assert.Equal(1, gate.PeakConcurrent);
    }
}
