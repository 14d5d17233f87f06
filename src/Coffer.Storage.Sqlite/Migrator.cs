using Coffer.Storage.Sql;
using Microsoft.Data.Sqlite;

namespace Coffer.Storage.Sqlite;

/// <summary>Applies the numbered migrations (<c>Migrations/NNNN_name.sql</c>) not yet applied, in order, each in its own transaction.</summary>
internal static class Migrator
{
    /// <summary>The newest migration this build carries.</summary>
    public static int Latest => Load().Max(m => m.Version);

    /// <summary><paramref name="upTo"/>: stop after that migration (tests that make a database as an older version left it).</summary>
    public static void Apply(SqliteConnection connection, int? upTo = null)
    {
        using (var create = connection.CreateCommand())
        {
            create.CommandText = "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)";
            create.ExecuteNonQuery();
        }

        var applied = new HashSet<int>();
        using (var query = connection.CreateCommand())
        {
            query.CommandText = "SELECT version FROM schema_migrations";
            using var reader = query.ExecuteReader();
            while (reader.Read())
            {
                applied.Add(reader.GetInt32(0));
            }
        }

        foreach (var (version, name, sql) in Load().Where(m => upTo is null || m.Version <= upTo))
        {
            if (applied.Contains(version))
            {
                continue;
            }

            using var tx = connection.BeginTransaction();
            using (var cmd = connection.CreateCommand())
            {
                cmd.Transaction = tx;
                cmd.CommandText = sql;
                cmd.ExecuteNonQuery();
            }

            using (var record = connection.CreateCommand())
            {
                record.Transaction = tx;
                record.CommandText = "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($v, $n, $t)";
                record.Parameters.AddWithValue("$v", version);
                record.Parameters.AddWithValue("$n", name);
                record.Parameters.AddWithValue("$t", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
                record.ExecuteNonQuery();
            }

            tx.Commit();
        }
    }

    private static IEnumerable<(int Version, string Name, string Sql)> Load() => MigrationScripts.In(typeof(Migrator).Assembly);
}
