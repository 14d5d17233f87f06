using System.Data;
using Coffer.Core.Storage;
using Npgsql;

namespace Coffer.Storage.Postgres;

/// <summary>Reads every table inside one REPEATABLE READ snapshot, for <c>coffer backup</c>: consistent
/// while nodes keep writing.</summary>
public static class PostgresExport
{
    public static StoreExport Read(string location)
    {
        using var connection = new NpgsqlConnection(PostgresLocation.ToConnectionString(location));
        connection.Open();
        using var tx = connection.BeginTransaction(IsolationLevel.RepeatableRead);
        int version;
        using (var cmd = new NpgsqlCommand("SELECT COALESCE(MAX(version), 0) FROM schema_migrations", connection, tx))
        {
            version = Convert.ToInt32(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        }

        var names = new List<string>();
        using (var cmd = new NpgsqlCommand("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename <> 'schema_migrations' ORDER BY tablename", connection, tx))
        using (var reader = cmd.ExecuteReader())
        {
            while (reader.Read())
            {
                names.Add(reader.GetString(0));
            }
        }

        var tables = new List<StoredTable>();
        foreach (var name in names)
        {
            using var cmd = new NpgsqlCommand($"SELECT * FROM \"{name}\"", connection, tx);
            using var reader = cmd.ExecuteReader();
            var columns = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToList();
            var rows = new List<object?[]>();
            while (reader.Read())
            {
                var row = new object?[reader.FieldCount];
                for (var i = 0; i < row.Length; i++)
                {
                    row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i) is int n ? (long)n : reader.GetValue(i);
                }

                rows.Add(row);
            }

            tables.Add(new StoredTable(name, columns, rows));
        }

        tx.Commit();
        return new StoreExport(version, tables);
    }
}
