using System.Data.Common;
using Coffer.Core.Audit;
using Coffer.Storage.Sql;
using Microsoft.Data.Sqlite;

namespace Coffer.Storage.Sqlite;

/// <summary>One SQLite connection and the shared repositories over it. Commands are prepared once per
/// connection and reused.</summary>
internal sealed class SqliteSession(SqliteConnection connection, bool readOnly) : SqlSession(SqliteDialect.Instance, readOnly), IDisposable
{
    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);

    public SqliteConnection Connection { get; } = connection;

    public bool IsDisposed { get; private set; }

    /// <summary>A prepared command for <paramref name="sql"/> with its parameters cleared.</summary>
    public override DbCommand Command(string sql)
    {
        if (!_commands.TryGetValue(sql, out var cmd))
        {
            cmd = Connection.CreateCommand();
            cmd.CommandText = sql;
            _commands[sql] = cmd;
        }

        cmd.Parameters.Clear();
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

internal sealed class SqliteDialect : SqlDialect
{
    public static readonly SqliteDialect Instance = new();

    public override string ParentIndexHint => "INDEXED BY ssm_parameters_parent ";

    public override string JsonText(string column, string member) => $"({column} ->> '$.{member}')";

    public override string? ReclaimSpace => "PRAGMA incremental_vacuum";

    /// <summary>A byte array binds as a blob; the cast makes it text, its bytes read in the database's
    /// encoding, which is UTF-8 (SQLite's default, never changed here).</summary>
    public override string TextFromUtf8(string parameter) => $"CAST({parameter} AS TEXT)";
}
