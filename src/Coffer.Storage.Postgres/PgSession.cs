using System.Text.RegularExpressions;
using Coffer.Core.Audit;
using Coffer.Core.Events;
using Coffer.Core.Functions;
using Coffer.Core.Identity;
using Coffer.Core.Kms;
using Coffer.Core.Parameters;
using Coffer.Core.Secrets;
using Coffer.Core.Storage;
using Npgsql;

namespace Coffer.Storage.Postgres;

/// <summary>
/// One connection, inside one transaction, and its repositories. The repositories are the SQLite
/// store's, translated: their SQL names parameters <c>$name</c>, which becomes Npgsql's <c>@name</c>
/// here, so the two stores' statements stay line-for-line comparable.
/// </summary>
internal sealed partial class PgSession : IStoreSession
{
    /// <summary>Each statement's text with Npgsql's parameter marks, made once per process.</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> Rewritten = new(StringComparer.Ordinal);
    private readonly List<NpgsqlCommand> _commands = [];

    public PgSession(NpgsqlConnection connection, bool readOnly)
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

    public NpgsqlConnection Connection { get; }

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

    /// <summary>The chain key and anchor, for the writer session; null on readers.</summary>
    public AuditChainKeeper? AuditKeeper { get; init; }

    /// <summary>The last record of the audit chain, read under the write lock at the start of each batch.</summary>
    public (long Sequence, byte[] Hash) AuditHead { get; set; } = (0, AuditChain.Genesis);

    /// <summary>What this batch changed that other nodes cache (<see cref="StoreChange"/> topics).</summary>
    public HashSet<string> Changes { get; } = new(StringComparer.Ordinal);

    /// <summary>A new command for <paramref name="sql"/> (with <c>$name</c> parameters). A new one each
    /// time: a command re-run with other parameter objects would keep its first ones (Npgsql binds the
    /// parameters when it first parses the text); the server-side statement is still prepared once
    /// per connection by Npgsql's automatic preparation.</summary>
    public NpgsqlCommand Command(string sql)
    {
        var cmd = new NpgsqlCommand(Rewritten.GetOrAdd(sql, static s => ParameterName().Replace(s, "@$1")), Connection);
        _commands.Add(cmd);
        if (!ReadOnly)
        {
            NoteChange(sql);
        }

        return cmd;
    }

    public void Execute(string sql) => Command(sql).ExecuteNonQuery();

    public void LoadAuditHead()
    {
        using var reader = Command("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1").ExecuteReader();
        AuditHead = reader.Read() ? (reader.GetInt64(0), (byte[])reader[1]) : (0, AuditChain.Genesis);
    }

    public void WipeAll()
    {
        var tables = new List<string>();
        using (var reader = Command("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename <> 'schema_migrations'").ExecuteReader())
        {
            while (reader.Read())
            {
                tables.Add(reader.GetString(0));
            }
        }

        if (tables.Count > 0)
        {
            using var cmd = Connection.CreateCommand();
            cmd.CommandText = "TRUNCATE " + string.Join(", ", tables.Select(t => $"\"{t}\"")) + " RESTART IDENTITY";
            cmd.ExecuteNonQuery();
        }

        AuditHead = (0, AuditChain.Genesis);
        Changes.Add(StoreChange.All);
    }

    public void DisposeCommands()
    {
        foreach (var cmd in _commands)
        {
            cmd.Dispose();
        }

        _commands.Clear();
    }

    /// <summary>Writes to what nodes cache: access keys (credentials) and IAM (resolved identities).</summary>
    private void NoteChange(string sql)
    {
        if (sql.StartsWith("SELECT", StringComparison.Ordinal))
        {
            return;
        }

        if (sql.Contains("access_keys", StringComparison.Ordinal))
        {
            Changes.Add(StoreChange.Credentials);
        }

        if (sql.Contains("iam_", StringComparison.Ordinal))
        {
            Changes.Add(StoreChange.Identities);
        }
    }

    [GeneratedRegex(@"\$([A-Za-z_][A-Za-z0-9_]*)")]
    private static partial Regex ParameterName();
}

internal static class PgExtensions
{
    public static NpgsqlCommand With(this NpgsqlCommand cmd, string name, object? value)
    {
        cmd.Parameters.AddWithValue(name.TrimStart('$'), value ?? DBNull.Value);
        return cmd;
    }

    public static long ToUnixMs(this DateTimeOffset time) => time.ToUnixTimeMilliseconds();

    public static long? ToUnixMs(this DateTimeOffset? time) => time?.ToUnixTimeMilliseconds();

    public static DateTimeOffset FromUnixMs(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    public static string? GetNullableString(this NpgsqlDataReader reader, int i) => reader.IsDBNull(i) ? null : reader.GetString(i);

    public static byte[]? GetNullableBytes(this NpgsqlDataReader reader, int i) => reader.IsDBNull(i) ? null : (byte[])reader[i];

    public static long? GetNullableInt64(this NpgsqlDataReader reader, int i) => reader.IsDBNull(i) ? null : reader.GetInt64(i);
}
