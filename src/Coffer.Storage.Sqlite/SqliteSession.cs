using Coffer.Core.Audit;
using Coffer.Core.Events;
using Coffer.Core.Functions;
using Coffer.Core.Identity;
using Coffer.Core.Kms;
using Coffer.Core.Parameters;
using Coffer.Core.Secrets;
using Coffer.Core.Storage;
using Microsoft.Data.Sqlite;

namespace Coffer.Storage.Sqlite;

/// <summary>One connection and its repositories. Commands are prepared once per connection and reused.</summary>
internal sealed partial class SqliteSession : IStoreSession, IDisposable
{
    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);

    public SqliteSession(SqliteConnection connection, bool readOnly)
    {
        Connection = connection;
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
    }

    public SqliteConnection Connection { get; }

    public bool ReadOnly { get; }

    public bool IsDisposed { get; private set; }

    public IMetaRepository Meta { get; }

    public IAccessKeyRepository AccessKeys { get; }

    public IIamRepository Iam { get; }

    public IKmsRepository Kms { get; }

    public IParameterRepository Parameters { get; }

    public IAuditRepository Audit { get; }

    public IEventRepository Events { get; }

    public ISecretRepository Secrets { get; }

    public IFunctionRepository Functions { get; }

    /// <summary>The chain key and anchor, for the writer session; null on readers.</summary>
    public AuditChainKeeper? AuditKeeper { get; init; }

    public IRuleRepository Rules { get; }

    /// <summary>The last record of the audit chain, kept by the writer session.</summary>
    public (long Sequence, byte[] Hash) AuditHead { get; set; } = (0, AuditChain.Genesis);

    public void LoadAuditHead()
    {
        var cmd = Command("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1");
        using var reader = cmd.ExecuteReader();
        AuditHead = reader.Read() ? (reader.GetInt64(0), (byte[])reader[1]) : (0, AuditChain.Genesis);
    }

    /// <summary>A prepared command for <paramref name="sql"/> with its parameters cleared.</summary>
    public SqliteCommand Command(string sql)
    {
        if (!_commands.TryGetValue(sql, out var cmd))
        {
            cmd = Connection.CreateCommand();
            cmd.CommandText = sql;
            _commands[sql] = cmd;
        }

        cmd.Parameters.Clear();
        return cmd;
    }

    public void Execute(string sql) => Command(sql).ExecuteNonQuery();

    public void WipeAll()
    {
        var tables = new List<string>();
        using (var reader = Command("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'schema_migrations'").ExecuteReader())
        {
            while (reader.Read())
            {
                tables.Add(reader.GetString(0));
            }
        }

        foreach (var table in tables)
        {
            using var cmd = Connection.CreateCommand();
            cmd.CommandText = $"DELETE FROM \"{table}\"";
            cmd.ExecuteNonQuery();
        }

        AuditHead = (0, AuditChain.Genesis);
    }

    public void Dispose()
    {
        if (IsDisposed)
        {
            return;
        }

        IsDisposed = true;
        foreach (var cmd in _commands.Values)
        {
            cmd.Dispose();
        }

        Connection.Dispose();
    }
}

internal static class SqliteExtensions
{
    public static SqliteCommand With(this SqliteCommand cmd, string name, object? value)
    {
        cmd.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return cmd;
    }

    public static long ToUnixMs(this DateTimeOffset time) => time.ToUnixTimeMilliseconds();

    public static long? ToUnixMs(this DateTimeOffset? time) => time?.ToUnixTimeMilliseconds();

    public static DateTimeOffset FromUnixMs(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    public static string? GetNullableString(this SqliteDataReader reader, int i) => reader.IsDBNull(i) ? null : reader.GetString(i);

    public static byte[]? GetNullableBytes(this SqliteDataReader reader, int i) => reader.IsDBNull(i) ? null : (byte[])reader[i];

    public static long? GetNullableInt64(this SqliteDataReader reader, int i) => reader.IsDBNull(i) ? null : reader.GetInt64(i);
}
