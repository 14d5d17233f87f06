using System.Data;
using Coffer.Core.Storage;
using Coffer.Storage.Sql;
using Npgsql;

namespace Coffer.Storage.Postgres;

/// <summary>This node's writer: group commit under the cluster-wide write lock.</summary>
public sealed partial class PostgresStore : IStoreChangeFeed
{
    private readonly AuditIndexer _indexer = new();

    /// <summary>The chain's head as this node's last write transaction saw it.</summary>
    private long _head;

    private async Task WriteLoopAsync()
    {
        var batch = new List<WriteJob>(WriteJob.MaxBatch);
        while (await WriteJob.NextBatchAsync(_writes.Reader, batch))
        {
            if (batch.Count > 0)
            {
                if (batch.TrueForAll(static j => j is AuditRecordJob))
                {
                    await RunRecordsAsync(batch);
                }
                else
                {
                    await RunBatchAsync(batch);
                }

                batch.Clear();
            }

            // The lookup index, behind the chain, between batches (AuditIndexer): waited for while
            // records are pending and no write comes.
            do
            {
                while (_indexer.Next(_head, idle: !_writes.Reader.TryPeek(out _)) is { } index)
                {
                    await RunBatchAsync([index]);
                }
            }
            while (_indexer.DueIn(_head) is { } wait && !await WriteJob.WriteArrivesWithinAsync(_writes.Reader, wait));
        }
    }

    /// <summary>Raised on the writer for each topic a batch this node wrote changed, after it commits
    /// and before any of its writes is acknowledged: this node's own caches never serve what its own
    /// acknowledged write replaced, even to work that starts no request (a rotation's steps, the
    /// scheduler). Other nodes' changes reach the caches through the generations instead.</summary>
    public event Action<string>? Changed;

    private async Task RunBatchAsync(List<WriteJob> batch)
    {
        (long Sequence, byte[] Hash) start = default, committed = default;
        string[] changed = [];
        try
        {
            await GuardAsync(async () =>
            {
                await using var connection = await _data.OpenConnectionAsync();
                await using var tx = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted);
                var session = new PgSession(connection, readOnly: false) { AuditKeeper = _auditChain };
                try
                {
                    // The lock first: every later statement sees every write committed before it was granted.
                    if (batch is [{ OffChain: true }])
                    {
                        // The lookup index: under its own lock, so that record appends never wait for it,
                        // and left to the node already indexing rather than waited for.
                        if (await session.Command("SELECT pg_try_advisory_xact_lock($k)").With("$k", IndexLockKey).ScalarAsync(CancellationToken.None) is not true)
                        {
                            // As a failed round: not tried again until the head moves.
                            await tx.RollbackAsync();
                            batch[0].Fail(new InvalidOperationException("Another node is indexing the audit log."));
                            return true;
                        }
                    }
                    else
                    {
                        await session.Command("SELECT pg_advisory_xact_lock($k)").With("$k", WriteLockKey).ExecuteNonQueryAsync();
                    }

                    await session.LoadAuditHeadAsync(CancellationToken.None);
                    start = session.AuditHead;

                    // Work that writes nothing a crash could lose for good (the lookup index, made
                    // again from the records) need not wait for its flush, and holds the lock the less.
                    if (batch.TrueForAll(static j => j.Relaxed && j is not AuditRecordJob))
                    {
                        await session.Command("SET LOCAL synchronous_commit TO OFF").NonQueryAsync(CancellationToken.None);
                    }

                    // A lone write needs no savepoint: if it fails, the whole transaction goes, and it is all it held.
                    var lone = batch.Count == 1;
                    foreach (var job in batch)
                    {
                        await RunJobAsync(job, session, tx, lone);
                    }

                    if (lone && batch[0].Failed)
                    {
                        await tx.RollbackAsync();
                        committed = start;
                        return true;
                    }

                    // Seen by every node when, and only if, the transaction commits.
                    await MoveGenerationsAsync(session);

                    changed = [.. session.Changes];
                    await tx.CommitAsync();
                    committed = session.AuditHead;
                }
                finally
                {
                    session.DisposeCommands();
                }

                return true;
            });
        }
        catch (Exception e)
        {
            // Nothing of the batch is committed (or, if the connection died during COMMIT, nobody can
            // say): every job fails, with a retryable error when the fault was the database's.
            foreach (var job in batch)
            {
                job.Fail(e);
            }

            committed = start;

            // Perhaps committed (the connection died during COMMIT): this node's caches go all the same.
            changed = [StoreChange.All];
        }

        foreach (var topic in changed)
        {
            Changed?.Invoke(topic);
        }

        foreach (var job in batch)
        {
            job.Complete();
        }

        if (committed.Hash is not null)
        {
            _head = committed.Sequence;
        }

        if (committed.Hash is not null && committed.Sequence != start.Sequence)
        {
            // Committed with its flush: durable, and with it every record committed before it.
            Anchor(committed.Sequence, committed.Hash, committed.Sequence < start.Sequence ? Rebase() : null);
        }
    }

    private async Task RunJobAsync(WriteJob job, PgSession session, NpgsqlTransaction tx, bool lone)
    {
        var jobHead = session.AuditHead;
        if (!lone)
        {
            await tx.SaveAsync("job");
        }

        try
        {
            await WriteJob.RunAsync(job, this, session);
            if (!lone)
            {
                await tx.ReleaseAsync("job");
            }
        }
        catch (Exception e) when (!IsTransient(e))
        {
            if (!lone)
            {
                await tx.RollbackAsync("job");
                await tx.ReleaseAsync("job");
            }

            session.AuditHead = jobHead;
            job.Fail(e);
        }
    }
}
