using System.Globalization;
using Coffer.Storage.Sql;
using Npgsql;

namespace Coffer.Storage.Postgres;

/// <summary>
/// Applies the numbered migrations (<c>Migrations/NNNN_name.sql</c>, the SQLite store's numbers in
/// PostgreSQL's dialect) not yet applied, in order, each in its own transaction. Several nodes may
/// start at once: an advisory lock lets one migrate while the others wait, then find nothing to do.
/// </summary>
internal static class Migrator
{
    private const long MigrationLockKey = 0x436f_6666_6572_4d49; // "CofferMI"

    /// <summary>The newest migration this build carries.</summary>
    public static int Latest => Load().Max(m => m.Version);

    public static void Apply(NpgsqlConnection connection, int? upTo = null)
    {
        Execute(connection, "SELECT pg_advisory_lock(" + MigrationLockKey.ToString(CultureInfo.InvariantCulture) + ")");
        try
        {
            Execute(connection, "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)");
            var applied = new HashSet<long>();
            using (var query = new NpgsqlCommand("SELECT version FROM schema_migrations", connection))
            using (var reader = query.ExecuteReader())
            {
                while (reader.Read())
                {
                    applied.Add(reader.GetInt64(0));
                }
            }

            foreach (var (version, name, sql) in Load().Where(m => upTo is null || m.Version <= upTo))
            {
                if (applied.Contains(version))
                {
                    continue;
                }

                using var tx = connection.BeginTransaction();
                Execute(connection, sql);
                using (var record = new NpgsqlCommand("INSERT INTO schema_migrations (version, name, applied_at) VALUES (@v, @n, @t)", connection))
                {
                    record.Parameters.AddWithValue("v", (long)version);
                    record.Parameters.AddWithValue("n", name);
                    record.Parameters.AddWithValue("t", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
                    record.ExecuteNonQuery();
                }

                tx.Commit();
            }
        }
        finally
        {
            Execute(connection, "SELECT pg_advisory_unlock(" + MigrationLockKey.ToString(CultureInfo.InvariantCulture) + ")");
        }
    }

    private static void Execute(NpgsqlConnection connection, string sql)
    {
        using var cmd = new NpgsqlCommand(sql, connection);
        cmd.ExecuteNonQuery();
    }

    private static IEnumerable<(int Version, string Name, string Sql)> Load() => MigrationScripts.In(typeof(Migrator).Assembly);
}
