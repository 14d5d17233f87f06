using System.Data.Common;
using Coffer.Core.Audit;
using Coffer.Storage.Sql;
using Microsoft.Data.Sqlite;

namespace Coffer.Storage.Sqlite;

/// <summary>One SQLite connection and the shared repositories over it. Commands are prepared once per
/// connection and reused, and so are their parameters: only their values are set for each run.</summary>
internal sealed class SqliteSession(SqliteConnection connection, bool readOnly) : SqlSession(SqliteDialect.Instance, readOnly), IDisposable
{
    private readonly Dictionary<string, ReusedCommand> _commands = new(StringComparer.Ordinal);

    public SqliteConnection Connection { get; } = connection;

    public bool IsDisposed { get; private set; }

    /// <summary>A prepared command for <paramref name="sql"/> with its parameters' values unset.</summary>
    public override DbCommand Command(string sql)
    {
        if (!_commands.TryGetValue(sql, out var cmd))
        {
            cmd = new ReusedCommand(sql, Connection);
            _commands[sql] = cmd;
        }

        cmd.Unbind();
        NoteChange(sql);
        return cmd;
    }

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
        Changes.Add(Coffer.Core.Storage.StoreChange.All);
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

/// <summary>A command kept for its statement. Its parameters are named with their <c>$</c>, as the
/// statement names them, so that Microsoft.Data.Sqlite finds each without trying every prefix.</summary>
internal sealed class ReusedCommand(string sql, SqliteConnection connection) : SqliteCommand(sql, connection), IReusedCommand, IRunsInline
{
    public void Bind(string name, object value)
    {
        var parameters = Parameters;
        for (var i = 0; i < parameters.Count; i++)
        {
            if (string.Equals(parameters[i].ParameterName, name, StringComparison.Ordinal))
            {
                parameters[i].Value = value;
                return;
            }
        }

        parameters.Add(new SqliteParameter(name, value));
    }

    /// <summary>Unsets every value: a parameter the next run does not bind fails it ("Value must be set")
    /// rather than binding the value of the run before.</summary>
    public void Unbind()
    {
        var parameters = Parameters;
        for (var i = 0; i < parameters.Count; i++)
        {
            parameters[i].Value = null;
        }
    }
}

internal sealed class SqliteDialect : SqlDialect
{
    public static readonly SqliteDialect Instance = new();

    public override string ParentIndexHint => "INDEXED BY ssm_parameters_parent ";

    public override string CurrentVersionJoin => """
         JOIN ssm_parameter_versions v
          ON v.account_id = p.account_id AND v.region = p.region AND v.name = p.name AND v.version = p.version
        """;

    public override string JsonText(string column, string member) => $"({column} ->> '$.{member}')";

    public override string? ReclaimSpace => "PRAGMA incremental_vacuum";

    /// <summary>A byte array binds as a blob; the cast makes it text, its bytes read in the database's
    /// encoding, which is UTF-8 (SQLite's default, never changed here).</summary>
    public override string TextFromUtf8(string parameter) => $"CAST({parameter} AS TEXT)";
}
