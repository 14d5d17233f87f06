using System.Diagnostics;
using Coffer.Core.Audit;
using Coffer.Core.Storage;

namespace Coffer.Core.Diagnostics;

/// <summary>
/// Times a store's reads and writes (<c>coffer.store.duration</c>), counts writes waiting for the
/// single writer (<c>coffer.store.writes.pending</c>), and traces them, whatever the store is.
/// The server wraps its store in one; the store itself knows nothing of metrics.
/// </summary>
public sealed class MeteredStore(ICofferStore inner) : ICofferStore
{
    public ICofferStore Inner => inner;

    public async ValueTask<T> ReadAsync<T>(Func<IStoreSession, CancellationToken, ValueTask<T>> work, CancellationToken cancellationToken = default)
    {
        using var span = CofferTracing.Start("store read");
        var start = Stopwatch.GetTimestamp();
        try
        {
            return await inner.ReadAsync(work, cancellationToken);
        }
        finally
        {
            CofferMetrics.StoreRead(start);
        }
    }

    public async Task<T> WriteAsync<T>(Func<IStoreSession, CancellationToken, ValueTask<T>> work, CancellationToken cancellationToken = default)
    {
        using var span = CofferTracing.Start("store write");
        var start = CofferMetrics.StoreWriteStarted();
        try
        {
            return await inner.WriteAsync(work, cancellationToken);
        }
        finally
        {
            CofferMetrics.StoreWriteEnded(start);
        }
    }

    public async Task AppendRecordAsync(AuditEntry entry, CancellationToken cancellationToken = default)
    {
        using var span = CofferTracing.Start("store append record");
        var start = CofferMetrics.StoreWriteStarted();
        try
        {
            await inner.AppendRecordAsync(entry, cancellationToken);
        }
        finally
        {
            CofferMetrics.StoreWriteEnded(start);
        }
    }

    public bool TryHoldScheduleLease() => inner.TryHoldScheduleLease();

    public IStoreChangeFeed? ChangeFeed => inner.ChangeFeed;

    public IStoreGenerations? Generations => inner.Generations;

    public Task WipeAsync(CancellationToken cancellationToken = default) => inner.WipeAsync(cancellationToken);

    public ValueTask DisposeAsync() => inner.DisposeAsync();
}
