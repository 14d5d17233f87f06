using Coffer.Core.Storage;
using Microsoft.Data.Sqlite;

namespace Coffer.Storage.Sqlite;

/// <summary>Reads every table of a data directory's <c>coffer.db</c> inside one read transaction,
/// without migrating it, for <c>coffer migrate</c>.</summary>
public static class SqliteExport
{
    public static StoreExport Read(string dataDir)
    {
        var builder = new SqliteConnectionStringBuilder { DataSource = Path.Combine(dataDir, "coffer.db"), Mode = SqliteOpenMode.ReadOnly, Pooling = false };
        using var connection = new SqliteConnection(builder.ToString());
        connection.Open();
        using var tx = connection.BeginTransaction(deferred: true);
        var version = Convert.ToInt32(Scalar(connection, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations"), System.Globalization.CultureInfo.InvariantCulture);
        var names = new List<string>();
        using (var cmd = connection.CreateCommand())
        {
            cmd.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'schema_migrations' ORDER BY name";
            using var reader = cmd.ExecuteReader();
            while (reader.Read())
            {
                names.Add(reader.GetString(0));
            }
        }

        var tables = new List<StoredTable>();
        foreach (var name in names)
        {
            using var cmd = connection.CreateCommand();
            cmd.CommandText = $"SELECT * FROM \"{name}\"";
            using var reader = cmd.ExecuteReader();
            var columns = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToList();
            var rows = new List<object?[]>();
            while (reader.Read())
            {
                var row = new object?[reader.FieldCount];
                for (var i = 0; i < row.Length; i++)
                {
                    row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
                }

                rows.Add(row);
            }

            tables.Add(new StoredTable(name, columns, rows));
        }

        return new StoreExport(version, tables);
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        return cmd.ExecuteScalar();
    }
}
