using System.Threading.Channels;
using Coffer.Core.Storage;

namespace Coffer.Storage.Sql;

/// <summary>
/// One write waiting for a store's single writer, which runs those that arrive together in one
/// transaction (group commit), each in its own savepoint. The same for every engine; each store
/// says how a batch is run.
/// </summary>
internal abstract class WriteJob
{
    public const int MaxBatch = 256;

    /// <summary>Only appends the record of a call that changed nothing: may commit without an fsync.</summary>
    public bool Relaxed { get; init; }

    /// <summary>Its work is one statement, which undoes itself if it fails (SQLite backs out a failed
    /// statement and keeps the transaction): the writer runs it without a savepoint of its own.</summary>
    public bool SingleStatement { get; init; }

    /// <summary>Appends nothing to the audit chain and writes nothing a write's lock orders (the lookup
    /// index, which only indexers write): a store shared by several nodes runs it under a lock of its
    /// own, and not at all while another node runs one, rather than under the cluster-wide write lock.</summary>
    public bool OffChain { get; init; }

    public abstract bool IsCancelled { get; }

    public abstract bool Failed { get; }

    /// <summary>Runs the job's work in the writer's session; the writer awaits it before the next.</summary>
    public abstract ValueTask RunAsync(SqlSession session);

    /// <summary>The first error wins: a write that failed on its own keeps its own answer when its batch fails too.</summary>
    public abstract void Fail(Exception e);

    public abstract void Complete();

    public abstract void Cancel();

    /// <summary>The store whose write the current flow of execution is running, if any.</summary>
    private static readonly AsyncLocal<object?> Writing = new();

    /// <summary>Runs <paramref name="job"/> for <paramref name="store"/>, marked as inside its write
    /// (<see cref="ThrowIfWriting"/>) until it is done. Marked in the flow of execution, not the thread,
    /// so the mark follows work that awaits and nothing else.</summary>
    public static async ValueTask RunAsync(WriteJob job, object store, SqlSession session)
    {
        Writing.Value = store;
        try
        {
            await job.RunAsync(session);
        }
        finally
        {
            Writing.Value = null;
        }
    }

    /// <summary>Refuses a read through <paramref name="store"/> from inside one of its writes: it would not
    /// see the write's changes (and, on an in-memory database, would wait for the writer, which waits for
    /// it). A read there goes through the session the write was given.</summary>
    public static void ThrowIfWriting(object store)
    {
        if (ReferenceEquals(Writing.Value, store))
        {
            throw new InvalidOperationException("A read through the store from inside one of its writes: read through the session the write was given.");
        }
    }

    /// <summary>Waits for writes and takes up to <see cref="MaxBatch"/> of them into <paramref name="batch"/>,
    /// answering cancelled ones at once (so the batch may be empty); false when the queue is closed and empty.</summary>
    public static async Task<bool> NextBatchAsync(ChannelReader<WriteJob> queue, List<WriteJob> batch)
    {
        if (!await queue.WaitToReadAsync())
        {
            return false;
        }

        TakeBatch(queue, batch);
        return true;
    }

    /// <summary>Takes up to <see cref="MaxBatch"/> queued writes into <paramref name="batch"/> without
    /// waiting, answering cancelled ones at once (so the batch may be empty).</summary>
    public static void TakeBatch(ChannelReader<WriteJob> queue, List<WriteJob> batch)
    {
        while (batch.Count < MaxBatch && queue.TryRead(out var job))
        {
            if (job.IsCancelled)
            {
                job.Cancel();
            }
            else
            {
                batch.Add(job);
            }
        }
    }

    /// <summary>Whether a write is queued (or the queue closes) within <paramref name="wait"/>; false when the time passed first.</summary>
    public static async Task<bool> WriteArrivesWithinAsync(ChannelReader<WriteJob> queue, TimeSpan wait)
    {
        if (queue.TryPeek(out _))
        {
            return true;
        }

        using var timeout = new CancellationTokenSource(wait);
        try
        {
            await queue.WaitToReadAsync(timeout.Token);
            return true;
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            return false;
        }
    }
}

internal sealed class WriteJob<T>(Func<IStoreSession, CancellationToken, ValueTask<T>> work, CancellationToken cancellationToken) : WriteJob
{
    private T? _result;
    private Exception? _error;

    public TaskCompletionSource<T> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public override bool IsCancelled => cancellationToken.IsCancellationRequested;

    public override bool Failed => _error is not null;

    public override async ValueTask RunAsync(SqlSession session) => _result = await work(session, cancellationToken);

    public override void Fail(Exception e) => _error ??= e;

    public override void Complete()
    {
        if (_error is null)
        {
            Completion.TrySetResult(_result!);
        }
        else
        {
            Completion.TrySetException(_error);
        }
    }

    public override void Cancel() => Completion.TrySetCanceled(cancellationToken);
}

/// <summary>
/// The record of a call that changed nothing (<see cref="ICofferStore.AppendRecordAsync"/>), waiting for
/// the writer: the entry itself rather than work, so a store can append a run of them at once (on
/// PostgreSQL, one round trip for the lot), and one object a record rather than a closure, a delegate
/// and a job.
/// </summary>
internal sealed class AuditRecordJob : WriteJob
{
    private readonly CancellationToken _cancellationToken;
    private Exception? _error;

    public AuditRecordJob(Coffer.Core.Audit.AuditEntry entry, CancellationToken cancellationToken)
    {
        Entry = entry;
        _cancellationToken = cancellationToken;
        Relaxed = true;
        SingleStatement = true;
    }

    public Coffer.Core.Audit.AuditEntry Entry { get; }

    public TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public override bool IsCancelled => _cancellationToken.IsCancellationRequested;

    public override bool Failed => _error is not null;

    public override ValueTask RunAsync(SqlSession session) => session.Audit.AppendAsync(Entry, _cancellationToken);

    public override void Fail(Exception e) => _error ??= e;

    public override void Complete()
    {
        if (_error is null)
        {
            Completion.TrySetResult();
        }
        else
        {
            Completion.TrySetException(_error);
        }
    }

    public override void Cancel() => Completion.TrySetCanceled(_cancellationToken);
}
