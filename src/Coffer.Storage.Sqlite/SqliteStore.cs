using System.Collections.Concurrent;
using System.Threading.Channels;
using Coffer.Core.Audit;
using Coffer.Core.Storage;
using Coffer.Storage.Sql;
using Microsoft.Data.Sqlite;

namespace Coffer.Storage.Sqlite;

/// <summary>
/// The embedded store: one SQLite database in WAL mode with <c>synchronous=FULL</c>, so a write is
/// on disk before it is acknowledged. Readers use a pool of connections and never wait for the
/// writer. Writes go through one writer connection in arrival order; those that arrive together
/// share a transaction (group commit), each in its own savepoint so that one failing write does
/// not undo its neighbours. A batch that only appends records of calls that changed nothing (reads,
/// refusals) commits with <c>synchronous=NORMAL</c>: written to the WAL (so it survives the process
/// being killed) but not fsynced; the next change's commit, or a sync of the WAL at most
/// <see cref="RecordSyncInterval"/> later, makes it durable, and only then does the anchor move.
/// </summary>
public sealed class SqliteStore : ICofferStore, IStoreChangeFeed
{
    /// <summary>How long the record of a call that changed nothing may stay written but not yet on
    /// disk: what a power loss (not a crash of the process) can lose of them.</summary>
    public static readonly TimeSpan RecordSyncInterval = TimeSpan.FromSeconds(1);

    private readonly string? _walPath;
    private bool _relaxedMode;
    private bool _unsynced;
    /// <summary>When the WAL was last made durable, or last tried to be (<see cref="Environment.TickCount64"/>).</summary>
    private long _lastDurable = Environment.TickCount64;
    private readonly string _connectionString;
    private readonly ConcurrentBag<SqliteSession> _readers = [];
    private readonly Channel<WriteJob> _writes = Channel.CreateUnbounded<WriteJob>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SqliteSession _writer;
    private readonly Task _writerLoop;
    private readonly SqliteConnection? _memoryAnchor;
    private readonly AuditChainKeeper? _auditChain;
    private readonly AuditIndexer _indexer = new();
    private readonly WalCheckpointer? _checkpointer;

    /// <summary>Wakes the idle writer when the lookup index or the records' sync is due (WriteLoopAsync).</summary>
    private readonly Timer _wake;

    private SqliteStore(string connectionString, SqliteConnection? memoryAnchor, AuditChainKeeper? auditChain, string? walPath = null, CheckpointSettings? checkpoints = null)
    {
        _connectionString = connectionString;
        _walPath = walPath;
        _memoryAnchor = memoryAnchor;
        _auditChain = auditChain;
        _writer = new SqliteSession(OpenConnection(writer: true), readOnly: false) { AuditKeeper = auditChain };
        AutoVacuum.EnsureIncremental(_writer.Connection);
        Migrator.Apply(_writer.Connection);
        _writer.LoadAuditHead();
        if (walPath is not null)
        {
            // The writer's automatic checkpoint is off (OpenConnection): this copies the WAL instead.
            _checkpointer = new WalCheckpointer(OpenConnection(writer: true), checkpoints ?? CheckpointSettings.Default);
        }

        _wake = new Timer(static store => ((SqliteStore)store!)._writes.Writer.TryWrite(WakeJob.Instance), this, Timeout.Infinite, Timeout.Infinite);
        _writerLoop = Task.Run(WriteLoopAsync);
    }

    /// <summary>Opens (creating if needed) the database file <c>coffer.db</c> in <paramref name="dataDir"/>.
    /// Without <paramref name="auditChain"/> the store cannot append audit records.</summary>
    public static SqliteStore OpenFile(string dataDir, AuditChainKeeper? auditChain = null) => OpenFile(dataDir, auditChain, CheckpointSettings.Default);

    /// <summary><see cref="OpenFile(string, AuditChainKeeper?)"/>, with the WAL copied as <paramref name="checkpoints"/> says (tests).</summary>
    internal static SqliteStore OpenFile(string dataDir, AuditChainKeeper? auditChain, CheckpointSettings checkpoints)
    {
        var path = Path.Combine(dataDir, "coffer.db");
        var builder = new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = false };
        if (!File.Exists(path) && !OperatingSystem.IsWindows())
        {
            // Create the file owner-only before SQLite opens it; it holds only wrapped secrets, but
            // its names and metadata are nobody else's business either.
            using (File.Create(path, 0, FileOptions.None))
            {
            }

            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return new SqliteStore(builder.ToString(), null, auditChain, path + "-wal", checkpoints);
    }

    /// <summary>An in-memory database that lives as long as the store (dev mode): nothing touches the disk.</summary>
    public static SqliteStore OpenMemory(AuditChainKeeper? auditChain = null)
    {
        var connectionString = $"Data Source=file:/coffer-{Guid.NewGuid():N}?vfs=memdb;Pooling=False";
        var anchor = new SqliteConnection(connectionString);
        anchor.Open();
        return new SqliteStore(connectionString, anchor, auditChain);
    }

    /// <summary>What copies the WAL into the database file; null in memory.</summary>
    internal WalCheckpointer? Checkpointer => _checkpointer;

    /// <summary>Raised on the writer's thread for each topic a batch changed, after it commits and
    /// before any of its writes is acknowledged.</summary>
    public event Action<string>? Changed;

    /// <summary>One process writes (the data directory's lock), and it announces before it answers.</summary>
    public bool Immediate => true;

    public async ValueTask<T> ReadAsync<T>(Func<IStoreSession, CancellationToken, ValueTask<T>> work, CancellationToken cancellationToken = default)
    {
        // Not from inside a write: a second connection would not see the write's changes (and, on an
        // in-memory database, would wait for the writer's lock while the writer waits for it). A read
        // there goes through the session the write was given.
        WriteJob.ThrowIfWriting(this);
        var session = TakeReader();
        try
        {
            session.Execute("BEGIN");
            try
            {
                return await work(session, cancellationToken);
            }
            finally
            {
                session.Execute("COMMIT");
            }
        }
        catch (SqliteException)
        {
            session.Dispose();
            throw;
        }
        finally
        {
            ReturnReader(session);
        }
    }

    public Task<T> WriteAsync<T>(Func<IStoreSession, CancellationToken, ValueTask<T>> work, CancellationToken cancellationToken = default) =>
        Enqueue(new WriteJob<T>(work, cancellationToken));

    private Task<T> Enqueue<T>(WriteJob<T> job) =>
        _writes.Writer.TryWrite(job) ? job.Completion.Task : throw new ObjectDisposedException(nameof(SqliteStore));

    private SqliteSession TakeReader() =>
        _readers.TryTake(out var session) ? session : new SqliteSession(OpenConnection(writer: false), readOnly: true);

    private void ReturnReader(SqliteSession session)
    {
        if (!session.IsDisposed)
        {
            _readers.Add(session);
        }
    }

    public Task AppendRecordAsync(AuditEntry entry, CancellationToken cancellationToken = default)
    {
        // Completes at once on SQLite (AuditRepository.AppendAsync): no state machine, one object a record.
        var job = new AuditRecordJob(entry, cancellationToken);
        return _writes.Writer.TryWrite(job) ? job.Completion.Task : throw new ObjectDisposedException(nameof(SqliteStore));
    }

    public Task WipeAsync(CancellationToken cancellationToken = default) =>
        WriteAsync((s, _) =>
        {
            ((SqliteSession)s).WipeAll();
            return new ValueTask<bool>(true);
        }, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        _writes.Writer.TryComplete();
        await _writerLoop;
        await _wake.DisposeAsync();
        _checkpointer?.Dispose();

        _writer.Dispose();
        while (_readers.TryTake(out var reader))
        {
            reader.Dispose();
        }

        _memoryAnchor?.Dispose();
    }

    private SqliteConnection OpenConnection(bool writer)
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var pragma = connection.CreateCommand();
        pragma.CommandText = _memoryAnchor is null
            ? "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=10000; PRAGMA wal_autocheckpoint=0;"
            : "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=10000;";
        if (!writer)
        {
            pragma.CommandText += " PRAGMA query_only=1;";
        }

        pragma.ExecuteNonQuery();
        return connection;
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<WriteJob>(WriteJob.MaxBatch);
        var queue = _writes.Reader;

        // One async method for the writer's whole life, waiting on the channel without a token (its
        // own waiter, nothing allocated): a timed wait for the idle work below cost a cancellation
        // source, its timer, a waiter and two state machines after every batch, which under a light
        // load is every record (issue 11). The idle work's time is kept by one timer that wakes the loop.
        while (await queue.WaitToReadAsync())
        {
            WriteJob.TakeBatch(queue, batch);
            if (batch.Count > 0)
            {
                await RunBatchAsync(batch);
                batch.Clear();
            }

            // Between batches, until a write waits: the lookup index, behind the chain (AuditIndexer),
            // and the sync of records written but not yet on disk, soon rather than never.
            while (_indexer.Next(_writer.AuditHead.Sequence, idle: !queue.TryPeek(out _)) is { } index)
            {
                await RunBatchAsync([index]);
            }

            if (_unsynced && Environment.TickCount64 - _lastDurable >= (long)RecordSyncInterval.TotalMilliseconds)
            {
                SyncRecords();
            }

            if (_checkpointer is { FinishDue: true })
            {
                // The WAL is past its bound and the checkpointer has copied nearly all of it: the rest,
                // so that the next write starts the WAL again (WalCheckpointer).
                _checkpointer.Finish(_writer.Connection);
            }

            var wait = _indexer.DueIn(_writer.AuditHead.Sequence);
            if (_unsynced)
            {
                var sync = TimeSpan.FromMilliseconds(Math.Max(0, (long)RecordSyncInterval.TotalMilliseconds - (Environment.TickCount64 - _lastDurable)));
                wait = wait is { } indexing && indexing < sync ? indexing : sync;
            }

            if (wait is { } idle)
            {
                // Wakes the loop then, unless a write does first (a wake that finds work done is passed over).
                _wake.Change(idle, Timeout.InfiniteTimeSpan);
            }
        }

        if (_unsynced)
        {
            SyncRecords();
        }
    }

    /// <summary>What <see cref="_wake"/> queues for the writer: no work, only a turn of its loop. It has
    /// nothing to run or answer, so it counts as cancelled and the batch passes it over.</summary>
    private sealed class WakeJob : WriteJob
    {
        public static readonly WakeJob Instance = new();

        public override bool IsCancelled => true;

        public override bool Failed => false;

        public override ValueTask RunAsync(SqlSession session) => ValueTask.CompletedTask;

        public override void Fail(Exception e)
        {
        }

        public override void Complete()
        {
        }

        public override void Cancel()
        {
        }
    }

    private async Task RunBatchAsync(List<WriteJob> batch)
    {
        var head = _writer.AuditHead;
        var relaxed = _walPath is not null && batch.TrueForAll(j => j.Relaxed);
        try
        {
            if (relaxed != _relaxedMode)
            {
                _writer.Execute(relaxed ? "PRAGMA synchronous=NORMAL" : "PRAGMA synchronous=FULL");
                _relaxedMode = relaxed;
            }

            _writer.Execute("BEGIN IMMEDIATE");
            foreach (var job in batch)
            {
                var jobHead = _writer.AuditHead;
                if (job.SingleStatement)
                {
                    // A read's record: one INSERT, backed out by SQLite if it fails, so two statements a
                    // record fewer than a savepoint costs (issue 11). The head moves only once it succeeded.
                    try
                    {
                        await WriteJob.RunAsync(job, this, _writer);
                    }
                    catch (Exception e)
                    {
                        _writer.AuditHead = jobHead;
                        job.Fail(e);
                    }

                    continue;
                }

                _writer.Execute("SAVEPOINT job");
                try
                {
                    await WriteJob.RunAsync(job, this, _writer);
                    _writer.Execute("RELEASE job");
                }
                catch (Exception e)
                {
                    _writer.Execute("ROLLBACK TO job");
                    _writer.Execute("RELEASE job");
                    _writer.AuditHead = jobHead;
                    job.Fail(e);
                }
            }

            _writer.Execute("COMMIT");
            Announce();
        }
        catch (Exception e)
        {
            try
            {
                _writer.Execute("ROLLBACK");
            }
            catch (SqliteException)
            {
                // The transaction is already gone; nothing to undo.
            }

            _writer.AuditHead = head;
            foreach (var job in batch)
            {
                job.Fail(e);
            }

            // Nothing committed, but a read made inside the batch may have cached what it saw: announced all the same.
            Announce();
        }

        foreach (var job in batch)
        {
            job.Complete();
        }

        // The anchor follows the durable head, once per batch and after the answers: a crash
        // before it is written leaves the anchor behind the database, which verifies. It never
        // passes what is on disk, so a power loss cannot leave the log behind its anchor.
        var committed = _writer.AuditHead;
        if (committed.Sequence == head.Sequence)
        {
            return;
        }

        if (!relaxed)
        {
            // A FULL commit fsyncs the WAL, and with it every record written before it.
            _unsynced = false;
            _lastDurable = Environment.TickCount64;
            _auditChain?.Committed(committed.Sequence, committed.Hash);
        }
        else
        {
            _unsynced = true;
            if (Environment.TickCount64 - _lastDurable >= (long)RecordSyncInterval.TotalMilliseconds)
            {
                SyncRecords();
            }
        }
    }

    /// <summary>Tells the caches what the committed batch changed, before its writes are answered.</summary>
    private void Announce()
    {
        if (_writer.Changes.Count == 0)
        {
            return;
        }

        var changed = _writer.Changes.ToArray();
        _writer.Changes.Clear();
        foreach (var topic in changed)
        {
            Changed?.Invoke(topic);
        }
    }

    /// <summary>Puts the records committed with synchronous=NORMAL on disk (an fsync of the WAL,
    /// which holds them), then moves the anchor to them.</summary>
    private void SyncRecords()
    {
        try
        {
            using (var wal = new FileStream(_walPath!, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete))
            {
                wal.Flush(flushToDisk: true);
            }

            _unsynced = false;
            _lastDurable = Environment.TickCount64;
            var head = _writer.AuditHead;
            _auditChain?.Committed(head.Sequence, head.Hash);
        }
        catch (IOException)
        {
            // Tried again a second later; until then the anchor stays where it was, which verifies.
            _lastDurable = Environment.TickCount64;
        }
    }
}
