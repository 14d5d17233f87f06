using System.Data;
using System.Threading.Channels;
using Coffer.Core;
using Coffer.Core.Audit;
using Coffer.Core.Storage;
using Coffer.Storage.Sql;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Coffer.Storage.Postgres;

/// <summary>
/// The scale-out store: several nodes on one PostgreSQL database. Reads take a pooled connection and
/// run in one REPEATABLE READ transaction (one snapshot per call). Writes queue to this node's writer,
/// which runs those that arrive together in one transaction (group commit), each in its own
/// savepoint; the transaction first takes one advisory lock that every node's writer takes, so write
/// transactions run one at a time across the cluster. That is what keeps the audit log one chain (a
/// write reads the head under the lock and appends after it) and what makes read-modify-write in a
/// write lambda safe: nothing can commit between its read and its write, so no update is lost.
/// </summary>
public sealed partial class PostgresStore : ICofferStore
{
    /// <summary>The advisory lock every node's writer holds for the length of a write transaction.</summary>
    internal const long WriteLockKey = 0x436f_6666_6572_5752; // "CofferWR"

    /// <summary>The advisory lock of the lookup index's batches, which append nothing to the chain.</summary>
    internal const long IndexLockKey = 0x436f_6666_6572_4958; // "CofferIX"

    private readonly NpgsqlDataSource _data;
    private readonly string _connectionString;
    private readonly Channel<WriteJob> _writes = Channel.CreateUnbounded<WriteJob>(new UnboundedChannelOptions { SingleReader = true });
    private readonly AuditChainKeeper? _auditChain;
    private readonly ILogger _logger;
    private readonly Task _writerLoop;
    private int _disposed;

    private PostgresStore(NpgsqlDataSource data, string connectionString, AuditChainKeeper? auditChain, ILogger logger)
    {
        _data = data;
        _connectionString = connectionString;
        _auditChain = auditChain;
        _logger = logger;
        using (var connection = Guard(() => _data.OpenConnection()))
        {
            Migrator.Apply(connection);
        }

        _lease = new ScheduleLease(this);
        _writerLoop = Task.Run(WriteLoopAsync);
        _flusherLoop = Task.Run(FlushLoopAsync);
    }

    /// <summary>Connects to <paramref name="location"/> (a <c>postgres://user:pass@host:port/db</c> URL
    /// or an Npgsql connection string) and applies the migrations not yet applied.</summary>
    public static PostgresStore Open(string location, AuditChainKeeper? auditChain = null, ILoggerFactory? loggerFactory = null)
    {
        var connectionString = PostgresLocation.ToConnectionString(location);
        var builder = new NpgsqlDataSourceBuilder(connectionString);

        // A pooled connection goes back without Npgsql's session reset (seven statements sent ahead of
        // its next command: half of a put's statements, docs/benchmarks.md): nothing here leaves session
        // state behind. Settings are SET LOCAL, locks are transaction advisory locks, there is no LISTEN
        // or temporary table, and Npgsql rolls back a transaction left open whatever this says. The one
        // session-level lock, the schedule lease, is taken on a connection outside the pool (OpenDedicated).
        builder.ConnectionStringBuilder.NoResetOnClose = true;
        return new PostgresStore(builder.Build(), connectionString, auditChain, (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<PostgresStore>());
    }

    public ValueTask<T> ReadAsync<T>(Func<IStoreSession, CancellationToken, ValueTask<T>> work, CancellationToken cancellationToken = default)
    {
        WriteJob.ThrowIfWriting(this);
        return GuardAsync(async () =>
        {
            await using var connection = await _data.OpenConnectionAsync(cancellationToken);
            await using var tx = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
            var session = new PgSession(connection, readOnly: true);
            try
            {
                var result = await work(session, cancellationToken);
                await tx.CommitAsync(cancellationToken);
                return result;
            }
            finally
            {
                session.DisposeCommands();
            }
        });
    }

    public Task<T> WriteAsync<T>(Func<IStoreSession, CancellationToken, ValueTask<T>> work, CancellationToken cancellationToken = default) =>
        Enqueue(new WriteJob<T>(work, cancellationToken));

    private Task<T> Enqueue<T>(WriteJob<T> job) =>
        _writes.Writer.TryWrite(job) ? job.Completion.Task : throw new ObjectDisposedException(nameof(PostgresStore));

    public Task WipeAsync(CancellationToken cancellationToken = default) =>
        WriteAsync((s, _) =>
        {
            ((PgSession)s).WipeAll();
            return new ValueTask<bool>(true);
        }, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _writes.Writer.TryComplete();
        await _writerLoop;

        // After the writer: the records it committed last are answered before the connections go.
        _unflushed.Writer.TryComplete();
        await _flusherLoop;
        _lease.Dispose();
        await _data.DisposeAsync();
    }

    /// <summary>Runs <paramref name="work"/>; a fault that a retry may cure (the server restarting, a
    /// connection lost, a failover) becomes a retryable ServiceUnavailable, and the pool is cleared so
    /// that the next call opens fresh connections rather than the dead ones.</summary>
    internal T Guard<T>(Func<T> work)
    {
        try
        {
            return work();
        }
        catch (Exception e) when (IsTransient(e))
        {
            throw Unavailable(e);
        }
    }

    /// <summary><see cref="Guard{T}"/> for work that awaits.</summary>
    internal async ValueTask<T> GuardAsync<T>(Func<ValueTask<T>> work)
    {
        try
        {
            return await work();
        }
        catch (Exception e) when (IsTransient(e))
        {
            throw Unavailable(e);
        }
    }

    private CofferException Unavailable(Exception e)
    {
        _data.Clear();
        LogUnavailable(_logger, e.GetType().Name, (e as PostgresException)?.SqlState);
        return new CofferException(ErrorCodes.ServiceUnavailable, "The database is unavailable; retry the request.", e);
    }

    /// <summary>A connection of its own, outside the pool: closing it ends its session, and with it any
    /// session-level lock it holds (the pool, without its reset, would keep the lock for the next user).</summary>
    internal NpgsqlConnection OpenDedicated()
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_connectionString) { Pooling = false }.ConnectionString);
        try
        {
            connection.Open();
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private static bool IsTransient(Exception e) => e switch
    {
        PostgresException pg => pg.IsTransient || pg.SqlState.StartsWith("57P", StringComparison.Ordinal) || pg.SqlState.StartsWith("08", StringComparison.Ordinal),
        NpgsqlException npgsql => npgsql.IsTransient || npgsql.InnerException is IOException or System.Net.Sockets.SocketException,
        _ => false,
    };

    [LoggerMessage(EventId = 2500, Level = LogLevel.Warning, Message = "PostgreSQL unavailable ({Fault}, SQLSTATE {SqlState}); the call is answered with a retryable error")]
    private static partial void LogUnavailable(ILogger logger, string fault, string? sqlState);
}
