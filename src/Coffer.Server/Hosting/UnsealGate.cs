namespace Coffer.Server.Hosting;

/// <summary>What became of an unseal request at the gate.</summary>
public enum UnsealOutcome
{
    /// <summary>The queue was full: refused at once, no Argon2id run.</summary>
    Busy,

    /// <summary>The passphrase was wrong.</summary>
    Wrong,

    /// <summary>The server is unsealed (by this request or by one before it).</summary>
    Unsealed,
}

/// <summary>
/// Keeps <c>/_coffer/unseal</c> from exhausting the host (issue 8): one Argon2id derivation at a
/// time (each costs 64 MiB by default), a short bounded queue behind it, everything past the queue
/// refused at once, and a delay after each wrong passphrase that doubles up to a ceiling. The
/// delay is waited out before the next attempt starts, when nothing has been allocated for it yet.
/// </summary>
public sealed class UnsealGate(TimeProvider time, int queueLength, TimeSpan firstDelay, TimeSpan maxDelay)
{
    private readonly SemaphoreSlim _one = new(1, 1);
    private readonly Lock _lock = new();
    private int _admitted;
    private int _running;
    private int _failures;
    private DateTimeOffset _notBefore = DateTimeOffset.MinValue;

    /// <summary>The most derivations that ever ran at once; tests check that it stays at one.</summary>
    public int PeakConcurrent { get; private set; }

    /// <summary>How many derivations ran in all.</summary>
    public int Attempts { get; private set; }

    /// <summary>How long a refused caller should wait before trying again (at least a second).</summary>
    public TimeSpan RetryAfter
    {
        get
        {
            lock (_lock)
            {
                var wait = _notBefore - time.GetUtcNow();
                return wait > TimeSpan.FromSeconds(1) ? wait : TimeSpan.FromSeconds(1);
            }
        }
    }

    /// <summary>
    /// Runs <paramref name="attempt"/> (true: unsealed, false: wrong passphrase) when its turn
    /// comes, or refuses at once when the running attempt and the queue are full.
    /// </summary>
    public async Task<UnsealOutcome> RunAsync(Func<bool> attempt, CancellationToken ct)
    {
        if (Interlocked.Increment(ref _admitted) > 1 + queueLength)
        {
            Interlocked.Decrement(ref _admitted);
            return UnsealOutcome.Busy;
        }

        try
        {
            await _one.WaitAsync(ct);
            try
            {
                TimeSpan wait;
                lock (_lock)
                {
                    wait = _notBefore - time.GetUtcNow();
                }

                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, time, ct);
                }

                return Run(attempt) ? UnsealOutcome.Unsealed : UnsealOutcome.Wrong;
            }
            finally
            {
                _one.Release();
            }
        }
        finally
        {
            Interlocked.Decrement(ref _admitted);
        }
    }

    private bool Run(Func<bool> attempt)
    {
        lock (_lock)
        {
            _running++;
            Attempts++;
            PeakConcurrent = Math.Max(PeakConcurrent, _running);
        }

        bool unsealed;
        try
        {
            unsealed = attempt();
        }
        finally
        {
            lock (_lock)
            {
                _running--;
            }
        }

        lock (_lock)
        {
            if (unsealed)
            {
                _failures = 0;
                _notBefore = DateTimeOffset.MinValue;
            }
            else
            {
                _failures = Math.Min(_failures + 1, 30);
                var delay = firstDelay * Math.Pow(2, _failures - 1);
                _notBefore = time.GetUtcNow() + (delay < maxDelay ? delay : maxDelay);
            }
        }

        return unsealed;
    }
}
