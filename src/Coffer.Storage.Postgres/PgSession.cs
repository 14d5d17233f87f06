using System.Data.Common;
using System.Text.RegularExpressions;
using Coffer.Core.Audit;
using Coffer.Core.Storage;
using Coffer.Storage.Sql;
using Npgsql;

namespace Coffer.Storage.Postgres;

/// <summary>
/// One connection, inside one transaction, and the shared repositories over it. Their SQL names
/// parameters <c>$name</c>, which becomes Npgsql's <c>@name</c> here.
/// </summary>
internal sealed partial class PgSession(NpgsqlConnection connection, bool readOnly) : SqlSession(PgDialect.Instance, readOnly)
{
    /// <summary>Each statement's text with Npgsql's parameter marks, made once per process.</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> Rewritten = new(StringComparer.Ordinal);
    private readonly List<NpgsqlCommand> _commands = [];

    public NpgsqlConnection Connection { get; } = connection;

    /// <summary>A new command for <paramref name="sql"/> (with <c>$name</c> parameters). A new one each
    /// time: a command re-run with other parameter objects would keep its first ones (Npgsql binds the
    /// parameters when it first parses the text); the server-side statement is still prepared once
    /// per connection by Npgsql's automatic preparation.</summary>
    public override DbCommand Command(string sql)
    {
        var cmd = new NpgsqlCommand(Rewrite(sql), Connection);
        _commands.Add(cmd);
        if (!ReadOnly)
        {
            NoteChange(sql);
        }

        return cmd;
    }

    public override DbBatchCommand BatchCommand(DbBatch batch, string sql)
    {
        var cmd = new NpgsqlBatchCommand(Rewrite(sql));
        batch.BatchCommands.Add(cmd);
        NoteChange(sql);
        return cmd;
    }

    private static string Rewrite(string sql) => Rewritten.GetOrAdd(sql, static s => ParameterName().Replace(s, "@$1"));

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

    [GeneratedRegex(@"\$([A-Za-z_][A-Za-z0-9_]*)")]
    private static partial Regex ParameterName();
}

internal sealed class PgDialect : SqlDialect
{
    public static readonly PgDialect Instance = new();

    public override string ParentIndexHint => "";

    /// <summary>The version looked up by all four of its key's columns whatever the statistics say:
    /// planned as one join, PostgreSQL may match a parameter's versions by name alone and filter on
    /// the version, reading every version (and every dead one) of a parameter that was just written
    /// many times, while its statistics still say one version a name (the nodes benchmark's puts:
    /// 400 µs a read of the one parameter they overwrite; docs/benchmarks.md, issue 10). OFFSET 0
    /// keeps the subquery from being pulled up into the join, so it is planned alone, as the
    /// primary key lookup it is.</summary>
    public override string CurrentVersionJoin => """
         CROSS JOIN LATERAL (SELECT * FROM ssm_parameter_versions v
          WHERE v.account_id = p.account_id AND v.region = p.region AND v.name = p.name AND v.version = p.version OFFSET 0) v
        """;

    public override string JsonText(string column, string member) => $"({column}::json ->> '{member}')";

    public override string? ReclaimSpace => null;

    /// <summary>A byte array binds as <c>bytea</c>; <c>convert_from</c> reads it as UTF-8 text, as the
    /// server reads a string sent in the client encoding (UTF-8, Npgsql's).</summary>
    public override string TextFromUtf8(string parameter) => $"convert_from({parameter}, 'UTF8')";
}
