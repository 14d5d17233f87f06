using System.Globalization;
using Coffer.Core.Audit;
using Microsoft.Data.Sqlite;

namespace Coffer.Storage.Sqlite;

/// <summary>
/// Reads a data directory's audit log for verification: read-only, without migrating or writing
/// anything, so it works beside a running server and on a database it must not touch (a damaged
/// one). Failures surface as <see cref="SqliteException"/>, which callers report as unreadable.
/// </summary>
public sealed class AuditLogReader : IDisposable
{
    private const int Page = 10_000;
    private readonly SqliteConnection _connection;

    private AuditLogReader(SqliteConnection connection) => _connection = connection;

    public static AuditLogReader Open(string dataDir)
    {
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(dataDir, "coffer.db"),
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
        };
        var connection = new SqliteConnection(builder.ToString());
        try
        {
            connection.Open();
            using var check = connection.CreateCommand();
            check.CommandText = "PRAGMA query_only=1; SELECT count(*) FROM sqlite_master";
            check.ExecuteScalar();
            return new AuditLogReader(connection);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>The first keyed record. A database no version with a keyed chain has opened has
    /// none: every record in it is unkeyed.</summary>
    public long KeyedFrom => Meta(AuditChainKeeper.KeyedFromKey) is { } text
        ? long.Parse(text, CultureInfo.InvariantCulture)
        : long.MaxValue;

    /// <summary>Whether the log was written by an earlier version and never anchored.</summary>
    public bool Unanchored => Meta(AuditChainKeeper.UnanchoredKey) is not null || Meta(AuditChainKeeper.KeyedFromKey) is null;

    public IEnumerable<StoredAuditRecord> ReadAll()
    {
        long after = 0;
        while (true)
        {
            var page = ReadAfter(after);
            foreach (var record in page)
            {
                yield return record;
                after = record.Sequence;
            }

            if (page.Count < Page)
            {
                yield break;
            }
        }
    }

    public void Dispose() => _connection.Dispose();

    private List<StoredAuditRecord> ReadAfter(long sequence)
    {
        using var cmd = _connection.CreateCommand();
        cmd.CommandText = "SELECT seq, record, prev_hash, hash FROM audit_log WHERE seq > $s ORDER BY seq LIMIT $l";
        cmd.Parameters.AddWithValue("$s", sequence);
        cmd.Parameters.AddWithValue("$l", Page);
        using var reader = cmd.ExecuteReader();
        var list = new List<StoredAuditRecord>();
        while (reader.Read())
        {
            list.Add(new StoredAuditRecord(reader.GetInt64(0), reader.GetString(1), (byte[])reader[2], (byte[])reader[3]));
        }

        return list;
    }

    private string? Meta(string key)
    {
        using var cmd = _connection.CreateCommand();
        cmd.CommandText = "SELECT value FROM meta WHERE key = $k";
        cmd.Parameters.AddWithValue("$k", key);
        return cmd.ExecuteScalar() as string;
    }
}
