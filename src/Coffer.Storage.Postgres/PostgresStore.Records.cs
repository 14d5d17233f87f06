using System.Globalization;
using System.Threading.Channels;
using Coffer.Core.Audit;
using Coffer.Storage.Sql;
using Npgsql;

namespace Coffer.Storage.Postgres;

/// <summary>
/// The records of calls that changed nothing (reads, refusals), appended without holding the
/// cluster-wide write lock across a WAL flush (issue 10: with the flush under the lock, two and three
/// nodes read more slowly than one, 88 to 96 % of PostgreSQL's time waiting on the lock).
/// <para>
/// A batch of such records takes two round trips under the lock: one begins the transaction, takes
/// the lock and reads the chain's head; the other inserts every record, linked after that head, and
/// commits with <c>synchronous_commit</c> off, so the lock goes as soon as the commit record is in the
/// WAL. The calls are not answered yet: the flusher then makes the records durable with one small
/// synchronous commit of its own (the WAL is flushed in order, so that flush takes every record
/// committed before it, whichever node wrote it), and only then answers them and moves the anchor.
/// A read's record is as durable when its call is answered as before; what changed is that no node
/// holds the lock while it waits for the disk, and one flush answers every batch committed while the
/// previous one ran.
/// </para>
/// </summary>
public sealed partial class PostgresStore
{
    private static readonly string TakeWriteLock = "SELECT pg_advisory_xact_lock(" + WriteLockKey.ToString(CultureInfo.InvariantCulture) + ")";

    /// <summary>The flusher's own row in <c>meta</c>: one of a few, chosen at open, so that nodes
    /// flushing at once seldom wait on each other's row.</summary>
    private readonly string _flushKey = "audit.flushed." + System.Security.Cryptography.RandomNumberGenerator.GetInt32(FlushSlots).ToString(CultureInfo.InvariantCulture);

    private const int FlushSlots = 16;

    private readonly Channel<CommittedRecords> _unflushed = Channel.CreateUnbounded<CommittedRecords>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });

    private readonly Task _flusherLoop;

    /// <summary>The anchor's gate: the writer and the flusher both move it, and it must never go back
    /// to an older head, except when the log itself went back (a wipe), which starts a new epoch.</summary>
    private readonly Lock _anchorGate = new();
    private long _anchored = -1;
    private long _anchorEpoch;

    /// <summary>Records committed without their flush, not yet answered.</summary>
    private sealed record CommittedRecords(WriteJob[] Jobs, long Sequence, byte[] Hash, long Epoch);

    public Task AppendRecordAsync(AuditEntry entry, CancellationToken cancellationToken = default)
    {
        var job = new AuditRecordJob(entry, cancellationToken);
        return _writes.Writer.TryWrite(job) ? job.Completion.Task : throw new ObjectDisposedException(nameof(PostgresStore));
    }

    /// <summary>Runs a batch that holds only records (<see cref="AuditRecordJob"/>): committed without
    /// waiting for the flush, then handed to the flusher, which answers them.</summary>
    private async Task RunRecordsAsync(List<WriteJob> batch)
    {
        long epoch;
        lock (_anchorGate)
        {
            epoch = _anchorEpoch;
        }

        (long Sequence, byte[] Hash) committed;
        try
        {
            committed = await GuardAsync(() => CommitRecordsAsync(batch));
        }
        catch (Exception e)
        {
            // Nothing committed, or nobody can say (the connection died during COMMIT): refused, as a
            // read whose record could not be appended always is.
            foreach (var job in batch)
            {
                job.Fail(e);
                job.Complete();
            }

            return;
        }

        _head = committed.Sequence;
        if (!_unflushed.Writer.TryWrite(new CommittedRecords([.. batch], committed.Sequence, committed.Hash, epoch)))
        {
            // Closing: the flusher is gone, so nobody would answer them.
            var closed = new ObjectDisposedException(nameof(PostgresStore));
            foreach (var job in batch)
            {
                job.Fail(closed);
                job.Complete();
            }
        }
    }

    private async ValueTask<(long Sequence, byte[] Hash)> CommitRecordsAsync(List<WriteJob> batch)
    {
        await using var connection = await _data.OpenConnectionAsync();
        var session = new PgSession(connection, readOnly: false) { AuditKeeper = _auditChain };
        var inTransaction = false;
        try
        {
            await using (var begin = new NpgsqlBatch(connection))
            {
                // One round trip. READ COMMITTED: the head is read by a statement that starts after the
                // lock was granted, so it sees every record committed before.
                begin.BatchCommands.Add(new NpgsqlBatchCommand("BEGIN ISOLATION LEVEL READ COMMITTED"));
                begin.BatchCommands.Add(new NpgsqlBatchCommand("SET LOCAL synchronous_commit TO OFF"));
                begin.BatchCommands.Add(new NpgsqlBatchCommand(TakeWriteLock));
                begin.BatchCommands.Add(new NpgsqlBatchCommand(SqlSession.SelectAuditHead));
                inTransaction = true;
                await using var reader = await begin.ExecuteReaderAsync();
                do
                {
                    // The lock's result has one column; the head's, two (none when the log is empty).
                    if (reader.FieldCount == 2 && await reader.ReadAsync())
                    {
                        session.AuditHead = (reader.GetInt64(0), (byte[])reader[1]);
                    }
                }
                while (await reader.NextResultAsync());
            }

            await using (var append = new NpgsqlBatch(connection))
            {
                var entries = new AuditEntry[batch.Count];
                for (var i = 0; i < entries.Length; i++)
                {
                    entries[i] = ((AuditRecordJob)batch[i]).Entry;
                }

                ((AuditRepository)session.Audit).AddAppends(append, entries);
                append.BatchCommands.Add(new NpgsqlBatchCommand("COMMIT"));
                await append.ExecuteNonQueryAsync();
                inTransaction = false;
            }

            return session.AuditHead;
        }
        catch when (inTransaction)
        {
            await RollBackQuietlyAsync(connection);
            throw;
        }
    }

    /// <summary>Ends a transaction a failed batch left open, so that the pooled connection comes back clean.</summary>
    private static async ValueTask RollBackQuietlyAsync(NpgsqlConnection connection)
    {
        try
        {
            await using var rollback = new NpgsqlCommand("ROLLBACK", connection);
            await rollback.ExecuteNonQueryAsync();
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
        {
            // The connection is broken; the pool throws it away and PostgreSQL ends its transaction.
        }
    }

    /// <summary>
    /// Makes committed records durable and answers them: each round takes every batch committed so
    /// far, runs one synchronous commit that writes to the WAL (its flush covers everything the WAL
    /// holds before it), then moves the anchor to the newest head and answers those batches.
    /// </summary>
    private async Task FlushLoopAsync()
    {
        var ready = new List<CommittedRecords>();
        while (await _unflushed.Reader.WaitToReadAsync())
        {
            while (_unflushed.Reader.TryRead(out var records))
            {
                ready.Add(records);
            }

            Exception? failed = null;
            try
            {
                await GuardAsync(FlushAsync);
            }
            catch (Exception e)
            {
                // Committed, but perhaps not durable: refused, since a read is answered only once its record is kept.
                failed = e;
            }

            if (failed is null)
            {
                // Before the answers (a file renamed, no fsync): an answered record is always under the anchor.
                var newest = ready[^1];
                Anchor(newest.Sequence, newest.Hash, newest.Epoch);
            }

            foreach (var records in ready)
            {
                foreach (var job in records.Jobs)
                {
                    if (failed is not null)
                    {
                        job.Fail(failed);
                    }

                    job.Complete();
                }
            }

            ready.Clear();
        }
    }

    private async ValueTask<bool> FlushAsync()
    {
        await using var connection = await _data.OpenConnectionAsync();
        await using var cmd = new NpgsqlCommand("INSERT INTO meta (key, value) VALUES (@k, @v) ON CONFLICT (key) DO UPDATE SET value = excluded.value", connection);
        cmd.Parameters.Add(new NpgsqlParameter<string>("k", _flushKey));
        cmd.Parameters.Add(new NpgsqlParameter<string>("v", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)));
        await cmd.ExecuteNonQueryAsync();
        return true;
    }

    /// <summary>Moves the anchor to a durable head, unless it already passed it in this epoch (the
    /// current one when <paramref name="epoch"/> is null).</summary>
    private void Anchor(long sequence, byte[] hash, long? epoch)
    {
        lock (_anchorGate)
        {
            if ((epoch ?? _anchorEpoch) != _anchorEpoch || sequence <= _anchored)
            {
                return;
            }

            _anchored = sequence;
            _auditChain?.Committed(sequence, hash);
        }
    }

    /// <summary>The log went back (a wipe): a new epoch, in which the anchor starts again from nothing.</summary>
    private long Rebase()
    {
        lock (_anchorGate)
        {
            _anchored = -1;
            return ++_anchorEpoch;
        }
    }
}
