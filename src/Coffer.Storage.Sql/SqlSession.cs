using System.Data.Common;
using Coffer.Core.Audit;
using Coffer.Core.Events;
using Coffer.Core.Functions;
using Coffer.Core.Identity;
using Coffer.Core.Kms;
using Coffer.Core.Parameters;
using Coffer.Core.Secrets;
using Coffer.Core.Storage;

namespace Coffer.Storage.Sql;

/// <summary>
/// One connection and its repositories, whatever the engine. The repositories are written once, in
/// SQL that SQLite and PostgreSQL both run (parameters named <c>$name</c>, <c>ON CONFLICT</c> upserts),
/// against ADO.NET's <see cref="DbCommand"/>; what the two engines spell differently is in
/// <see cref="SqlDialect"/>. Each engine's session says how a command is made and reused.
/// </summary>
internal abstract class SqlSession : IStoreSession
{
    protected SqlSession(SqlDialect dialect, bool readOnly)
    {
        Dialect = dialect;
        ReadOnly = readOnly;
        Meta = new MetaRepository(this);
        AccessKeys = new AccessKeyRepository(this);
        Iam = new IamRepository(this);
        Kms = new KmsRepository(this);
        Parameters = new ParameterRepository(this);
        Audit = new AuditRepository(this);
        Events = new EventRepository(this);
        Secrets = new SecretRepository(this);
        Functions = new FunctionRepository(this);
        Rules = new RuleRepository(this);
        Rotations = new RotationRepository(this);
    }

    public SqlDialect Dialect { get; }

    public bool ReadOnly { get; }

    public IMetaRepository Meta { get; }

    public IAccessKeyRepository AccessKeys { get; }

    public IIamRepository Iam { get; }

    public IKmsRepository Kms { get; }

    public IParameterRepository Parameters { get; }

    public IAuditRepository Audit { get; }

    public IEventRepository Events { get; }

    public ISecretRepository Secrets { get; }

    public IFunctionRepository Functions { get; }

    public IRuleRepository Rules { get; }

    public IRotationRepository Rotations { get; }

    /// <summary>The chain key and anchor, for a writing session; null on readers.</summary>
    public AuditChainKeeper? AuditKeeper { get; init; }

    /// <summary>The last record of the audit chain, as the writer sees it.</summary>
    public (long Sequence, byte[] Hash) AuditHead { get; set; } = (0, AuditChain.Genesis);

    /// <summary>The index rows of the records this writer appended and has not indexed yet, oldest
    /// first, so that indexing need not read them back (<see cref="AuditRepository.IndexRecords"/>).
    /// Only an accelerator: a record missing here is read back from the log.</summary>
    public List<PendingIndexRows> PendingIndex { get; } = [];

    /// <summary>What this session's writes changed that caches hold (<see cref="StoreChange"/> topics),
    /// for the store to announce once they commit.</summary>
    public HashSet<string> Changes { get; } = new(StringComparer.Ordinal);

    /// <summary>A command for <paramref name="sql"/>, whose parameters are named <c>$name</c>, with no
    /// parameter values bound yet: each is given by <see cref="SqlExtensions.With"/>, and one not given
    /// fails the statement rather than keep a value from an earlier run (<see cref="IReusedCommand"/>).</summary>
    public abstract DbCommand Command(string sql);

    /// <summary>A command for <paramref name="sql"/> added to <paramref name="batch"/>, for an engine that
    /// sends several statements in one round trip; an engine that runs statements in process has no use for it.</summary>
    public virtual DbBatchCommand BatchCommand(DbBatch batch, string sql) =>
        throw new NotSupportedException("This engine runs each statement in process; it batches none.");

    /// <summary>Notes the topics a writing statement touches, by the tables it names.</summary>
    protected void NoteChange(string sql)
    {
        if (ReadOnly)
        {
            return;
        }

        foreach (var topic in TopicsOf.GetOrAdd(sql, Topics))
        {
            Changes.Add(topic);
        }
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string[]> TopicsOf = new(StringComparer.Ordinal);

    private static string[] Topics(string sql)
    {
        if (sql.StartsWith("SELECT", StringComparison.Ordinal))
        {
            return [];
        }

        var topics = new List<string>();
        Add("access_keys", StoreChange.Credentials);
        Add("iam_", StoreChange.Identities);
        Add("kms_", StoreChange.Keys);
        Add("ssm_", StoreChange.Parameters);
        Add("secret", StoreChange.Secrets);
        return [.. topics];

        void Add(string table, string topic)
        {
            if (sql.Contains(table, StringComparison.Ordinal))
            {
                topics.Add(topic);
            }
        }
    }

    public void Execute(string sql) => Command(sql).ExecuteNonQuery();

    /// <summary>The chain's head: its last record's number and link.</summary>
    public const string SelectAuditHead = "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1";

    public void LoadAuditHead()
    {
        using var reader = Command(SelectAuditHead).ExecuteReader();
        AuditHead = reader.Read() ? (reader.GetInt64(0), (byte[])reader[1]) : (0, AuditChain.Genesis);
    }

    /// <summary><see cref="LoadAuditHead"/>, awaiting the engine.</summary>
    public async ValueTask LoadAuditHeadAsync(CancellationToken cancellationToken)
    {
        await using var reader = await Command(SelectAuditHead).ReaderAsync(cancellationToken);
        AuditHead = await reader.ReadAsync(cancellationToken) ? (reader.GetInt64(0), (byte[])reader[1]) : (0, AuditChain.Genesis);
    }
}

/// <summary>A record's index rows, as its append left them for the indexer.</summary>
internal readonly record struct PendingIndexRows(long Sequence, long EventTimeMs, string AccountId, string Region, IReadOnlyList<(string Kind, string Value)> Rows);

/// <summary>What SQLite and PostgreSQL spell differently in the repositories' statements.</summary>
internal abstract class SqlDialect
{
    /// <summary>Put after <c>FROM ssm_parameters p</c> when listing one level of a path.</summary>
    public abstract string ParentIndexHint { get; }

    /// <summary>Put after <c>FROM ssm_parameters p</c> (and any hint): joins each parameter to its current version, as <c>v</c>.</summary>
    public abstract string CurrentVersionJoin { get; }

    /// <summary>An expression for the text of member <paramref name="member"/> of the JSON document in <paramref name="column"/>.</summary>
    public abstract string JsonText(string column, string member);

    /// <summary>A statement that gives freed space back after a bulk delete, or null when the engine does it itself.</summary>
    public abstract string? ReclaimSpace { get; }

    /// <summary>An expression for the text whose UTF-8 bytes are bound, as a byte array, to <paramref name="parameter"/>:
    /// stored as text, as a string bound there would be, without encoding the string again.</summary>
    public abstract string TextFromUtf8(string parameter);
}

/// <summary>A command that its session keeps and runs again (SQLite's prepared statements): each
/// parameter is made the first time it is bound and afterwards only given its new value. The
/// session unsets every value when it hands the command out again, so a parameter not bound anew
/// fails the statement instead of binding the value of the run before.</summary>
internal interface IReusedCommand
{
    /// <summary>Gives <paramref name="name"/> (with its <c>$</c>) <paramref name="value"/>, making the parameter the first time.</summary>
    void Bind(string name, object value);
}

/// <summary>A command its engine runs on the calling thread whatever method is called: Microsoft.Data.Sqlite's
/// asynchronous methods run synchronously and only wrap the result in a new task. The repositories'
/// <see cref="SqlExtensions.ReaderAsync"/>, <see cref="SqlExtensions.ScalarAsync"/> and
/// <see cref="SqlExtensions.NonQueryAsync"/> run such a command synchronously instead of paying for that task
/// (about 600 bytes a reader on every hot read's audit indexing, issue 11); any other they await.</summary>
internal interface IRunsInline;

internal static class SqlExtensions
{
    /// <summary>The command's reader: awaited, unless its engine runs it inline (<see cref="IRunsInline"/>).</summary>
    public static ValueTask<DbDataReader> ReaderAsync(this DbCommand cmd, CancellationToken cancellationToken) =>
        cmd is IRunsInline ? new(cmd.ExecuteReader()) : new(cmd.ExecuteReaderAsync(cancellationToken));

    /// <summary>The command's first column of its first row: awaited, unless its engine runs it inline.</summary>
    public static ValueTask<object?> ScalarAsync(this DbCommand cmd, CancellationToken cancellationToken) =>
        cmd is IRunsInline ? new(cmd.ExecuteScalar()) : new(cmd.ExecuteScalarAsync(cancellationToken));

    /// <summary>Runs the command for its effect: awaited, unless its engine runs it inline.</summary>
    public static ValueTask<int> NonQueryAsync(this DbCommand cmd, CancellationToken cancellationToken) =>
        cmd is IRunsInline ? new(cmd.ExecuteNonQuery()) : new(cmd.ExecuteNonQueryAsync(cancellationToken));

    /// <summary>Binds <c>$name</c>: on a command its session reuses, by setting the value of the parameter
    /// made the first time (<see cref="IReusedCommand"/>); otherwise as a new parameter named without
    /// its mark, as Npgsql needs.</summary>
    public static DbCommand With(this DbCommand cmd, string name, object? value)
    {
        if (cmd is IReusedCommand reused)
        {
            reused.Bind(name, value ?? DBNull.Value);
            return cmd;
        }

        var parameter = cmd.CreateParameter();
        parameter.ParameterName = UnmarkedNames.GetOrAdd(name, static n => n.TrimStart('$'));
        parameter.Value = value ?? DBNull.Value;
        cmd.Parameters.Add(parameter);
        return cmd;
    }

    /// <summary>Binds <c>$name</c> on a command of a batch, as a new parameter named without its mark.</summary>
    public static DbBatchCommand With(this DbBatchCommand cmd, string name, object? value)
    {
        var parameter = cmd.CreateParameter();
        parameter.ParameterName = UnmarkedNames.GetOrAdd(name, static n => n.TrimStart('$'));
        parameter.Value = value ?? DBNull.Value;
        cmd.Parameters.Add(parameter);
        return cmd;
    }

    /// <summary>Each parameter name without its mark, made once: the names are the statements' constants.</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> UnmarkedNames = new(StringComparer.Ordinal);

    public static long ToUnixMs(this DateTimeOffset time) => time.ToUnixTimeMilliseconds();

    public static long? ToUnixMs(this DateTimeOffset? time) => time?.ToUnixTimeMilliseconds();

    public static DateTimeOffset FromUnixMs(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    public static string? GetNullableString(this DbDataReader reader, int i) => reader.IsDBNull(i) ? null : reader.GetString(i);

    public static byte[]? GetNullableBytes(this DbDataReader reader, int i) => reader.IsDBNull(i) ? null : (byte[])reader[i];

    public static long? GetNullableInt64(this DbDataReader reader, int i) => reader.IsDBNull(i) ? null : reader.GetInt64(i);

    /// <summary>Every row's first column, a stored document, read by <paramref name="read"/>.</summary>
    public static List<T> ReadDocs<T>(this DbCommand cmd, Func<string, T> read)
    {
        using var reader = cmd.ExecuteReader();
        var list = new List<T>();
        while (reader.Read())
        {
            list.Add(read(reader.GetString(0)));
        }

        return list;
    }

    /// <summary>The first row's first column, a stored document, read by <paramref name="read"/>; null when there is no row.</summary>
    public static T? ReadDoc<T>(this DbCommand cmd, Func<string, T> read)
        where T : class => cmd.ExecuteScalar() is string doc ? read(doc) : null;

    /// <summary><see cref="ReadDocs{T}"/>, awaiting the engine.</summary>
    public static async ValueTask<List<T>> ReadDocsAsync<T>(this DbCommand cmd, Func<string, T> read, CancellationToken cancellationToken)
    {
        var list = new List<T>();
        await using var reader = await cmd.ReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(read(reader.GetString(0)));
        }

        return list;
    }

    /// <summary><see cref="ReadDoc{T}"/>, awaiting the engine.</summary>
    public static async ValueTask<T?> ReadDocAsync<T>(this DbCommand cmd, Func<string, T> read, CancellationToken cancellationToken)
        where T : class => await cmd.ScalarAsync(cancellationToken) is string doc ? read(doc) : null;
}
