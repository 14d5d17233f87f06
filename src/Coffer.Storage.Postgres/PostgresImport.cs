using Coffer.Core.Storage;
using Npgsql;

namespace Coffer.Storage.Postgres;

/// <summary>
/// Loads an installation's rows (<see cref="StoreExport"/>) into an empty PostgreSQL database, in
/// one transaction: the schema is brought to the export's version first, the rows copied as they
/// are, and the later migrations applied when the store next opens, as for any older installation.
/// </summary>
public static class PostgresImport
{
    public static void Load(string location, StoreExport export)
    {
        using var connection = new NpgsqlConnection(PostgresLocation.ToConnectionString(location));
        connection.Open();
        if (export.SchemaVersion > Migrator.Latest)
        {
            throw new InvalidOperationException($"The source is at schema version {export.SchemaVersion}, newer than this Coffer knows ({Migrator.Latest}).");
        }

        Migrator.Apply(connection, export.SchemaVersion);
        using var tx = connection.BeginTransaction();
        using (var count = new NpgsqlCommand("SELECT (SELECT count(*) FROM meta WHERE key = 'account_id') + (SELECT count(*) FROM audit_log)", connection, tx))
        {
            if (count.ExecuteScalar() is not 0L)
            {
                throw new InvalidOperationException("The target database already holds an installation; migrate into an empty one.");
            }
        }

        // What the migrations recorded about an empty log (where keying starts) gives way to the source's own.
        using (var clear = new NpgsqlCommand("DELETE FROM meta", connection, tx))
        {
            clear.ExecuteNonQuery();
        }

        foreach (var table in export.Loaded)
        {
            var columns = string.Join(", ", table.Columns.Select(c => $"\"{c}\""));
            var marks = string.Join(", ", table.Columns.Select((_, i) => $"${i + 1}"));
            foreach (var row in table.Rows)
            {
                using var insert = new NpgsqlCommand($"INSERT INTO \"{table.Name}\" ({columns}) OVERRIDING SYSTEM VALUE VALUES ({marks})", connection, tx);
                foreach (var value in row)
                {
                    insert.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
                }

                insert.ExecuteNonQuery();
            }
        }

        // Identity columns continue after the copied rows.
        foreach (var (table, column) in new[] { ("event_outbox", "seq"), ("event_dead_letters", "id") })
        {
            using var advance = new NpgsqlCommand(
                $"SELECT setval(pg_get_serial_sequence('{table}', '{column}'), COALESCE((SELECT MAX({column}) FROM {table}), 0) + 1, false) WHERE to_regclass('{table}') IS NOT NULL",
                connection,
                tx);
            advance.ExecuteNonQuery();
        }

        tx.Commit();
    }
}
