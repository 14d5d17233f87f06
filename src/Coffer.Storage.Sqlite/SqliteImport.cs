using Coffer.Core.Storage;
using Microsoft.Data.Sqlite;

namespace Coffer.Storage.Sqlite;

/// <summary>Loads an installation's rows (<see cref="StoreExport"/>) into a data directory that has no
/// database yet (<c>coffer restore</c>): the schema at the export's version, the rows as they are, in
/// one transaction; later migrations apply when the store next opens.</summary>
public static class SqliteImport
{
    public static void Load(string dataDir, StoreExport export)
    {
        var path = Path.Combine(dataDir, "coffer.db");
        if (File.Exists(path))
        {
            throw new InvalidOperationException($"{path} exists: restore into a data directory without a database.");
        }

        if (export.SchemaVersion > Migrator.Latest)
        {
            throw new InvalidOperationException($"The backup is at schema version {export.SchemaVersion}, newer than this Coffer knows ({Migrator.Latest}).");
        }

        Directory.CreateDirectory(dataDir);
        using (File.Create(path))
        {
        }

        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        Migrator.Apply(connection, export.SchemaVersion);
        using var tx = connection.BeginTransaction();
        using (var clear = connection.CreateCommand())
        {
            // What the migrations recorded about an empty log gives way to the backup's own.
            clear.Transaction = tx;
            clear.CommandText = "DELETE FROM meta";
            clear.ExecuteNonQuery();
        }

        foreach (var table in export.Loaded)
        {
            var columns = string.Join(", ", table.Columns.Select(c => $"\"{c}\""));
            var marks = string.Join(", ", table.Columns.Select((_, i) => $"$p{i}"));
            foreach (var row in table.Rows)
            {
                using var insert = connection.CreateCommand();
                insert.Transaction = tx;
                insert.CommandText = $"INSERT INTO \"{table.Name}\" ({columns}) VALUES ({marks})";
                for (var i = 0; i < row.Length; i++)
                {
                    insert.Parameters.AddWithValue($"$p{i}", row[i] ?? DBNull.Value);
                }

                insert.ExecuteNonQuery();
            }
        }

        tx.Commit();
    }
}
