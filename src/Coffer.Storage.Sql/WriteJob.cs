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

    public abstract bool IsCancelled { get; }

    public abstract bool Failed { get; }

    public abstract void Run(SqlSession session);

    /// <summary>The first error wins: a write that failed on its own keeps its own answer when its batch fails too.</summary>
    public abstract void Fail(Exception e);

    public abstract void Complete();

    public abstract void Cancel();

    /// <summary>Waits for writes and takes up to <see cref="MaxBatch"/> of them into <paramref name="batch"/>,
    /// answering cancelled ones at once (so the batch may be empty); false when the queue is closed and empty.</summary>
    public static async Task<bool> NextBatchAsync(ChannelReader<WriteJob> queue, List<WriteJob> batch)
    {
        if (!await queue.WaitToReadAsync())
        {
            return false;
        }

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

        return true;
    }
}

internal sealed class WriteJob<T>(Func<IStoreSession, T> work, CancellationToken cancellationToken) : WriteJob
{
    private T? _result;
    private Exception? _error;

    public TaskCompletionSource<T> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public override bool IsCancelled => cancellationToken.IsCancellationRequested;

    public override bool Failed => _error is not null;

    public override void Run(SqlSession session) => _result = work(session);

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
