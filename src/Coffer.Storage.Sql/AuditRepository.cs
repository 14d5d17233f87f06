using System.Globalization;
using Coffer.Core.Audit;

namespace Coffer.Storage.Sql;

/// <summary>Appends to the keyed chain. Only the writer session appends, so the chain head it keeps is the truth.</summary>
internal sealed class AuditRepository(SqlSession session) : IAuditRepository
{
    private const string Insert =
        "INSERT INTO audit_log (seq, event_time, record, prev_hash, hash, account_id, region, event_id, event_name, event_source, read_only, username, access_key_id) " +
        "VALUES ($s, $t, $r, $p, $h, $acct, $region, $id, $name, $source, $ro, $user, $akid)";

    private const string InsertResource = "INSERT INTO audit_resources (kind, value, event_time, seq) VALUES ($k, $v, $t, $s) ON CONFLICT DO NOTHING";

    public void Append(AuditEntry entry)
    {
        var (sequence, previous) = session.AuditHead;
        var chain = session.AuditKeeper ?? throw new InvalidOperationException("This store was opened without an audit chain key: it cannot append to the audit log.");
        var seq = sequence + 1;
        var hash = chain.Link(seq, previous, entry.Json);
        var time = entry.EventTime.ToUnixMs();
        var keys = entry.Lookup;
        session.Command(Insert)
            .With("$s", seq).With("$t", time).With("$r", entry.Json).With("$p", previous).With("$h", hash)
            .With("$acct", keys.AccountId).With("$region", keys.Region).With("$id", keys.EventId).With("$name", keys.EventName)
            .With("$source", keys.EventSource).With("$ro", keys.ReadOnly ? 1 : 0).With("$user", keys.Username).With("$akid", keys.AccessKeyId)
            .ExecuteNonQuery();

        // The record's resources are indexed behind the chain (IndexResources), not here: their one to
        // four rows a record were most of the single writer's time on a hot read (issue 11).
        session.AuditHead = (seq, hash);
    }

    public int IndexResources(int limit)
    {
        var through = ResourcesIndexedThrough();
        var head = session.AuditHead.Sequence;
        if (through > head)
        {
            // The log ends before the index does (records were removed, which verification reports, or
            // the store was wiped): rows past the head name records that are gone, and must not be
            // taken for the records that will get those numbers next.
            session.Command("DELETE FROM audit_resources WHERE seq > $s").With("$s", head).ExecuteNonQuery();
            session.Meta.Set(AuditResourceIndex.ThroughKey, head.ToString(CultureInfo.InvariantCulture));
            through = head;
        }

        var pending = new List<(long Seq, long Time, string Json)>();
        using (var reader = session.Command("SELECT seq, event_time, record FROM audit_log WHERE seq > $s ORDER BY seq LIMIT $l")
            .With("$s", through).With("$l", limit).ExecuteReader())
        {
            while (reader.Read())
            {
                pending.Add((reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2)));
            }
        }

        foreach (var (seq, time, json) in pending)
        {
            foreach (var (kind, value) in AuditResourceIndex.RowsOf(json))
            {
                session.Command(InsertResource).With("$k", kind).With("$v", value).With("$t", time).With("$s", seq).ExecuteNonQuery();
            }
        }

        if (pending.Count > 0)
        {
            session.Meta.Set(AuditResourceIndex.ThroughKey, pending[^1].Seq.ToString(CultureInfo.InvariantCulture));
        }

        return pending.Count;
    }

    public long ResourcesIndexedThrough() =>
        session.Meta.Get(AuditResourceIndex.ThroughKey) is { } text ? long.Parse(text, CultureInfo.InvariantCulture) : 0;

    public IReadOnlyList<StoredAuditRecord> ReadAfter(long sequence, int limit)
    {
        using var reader = session.Command("SELECT seq, record, prev_hash, hash FROM audit_log WHERE seq > $s ORDER BY seq LIMIT $l")
            .With("$s", sequence).With("$l", limit).ExecuteReader();
        var list = new List<StoredAuditRecord>();
        while (reader.Read())
        {
            list.Add(new StoredAuditRecord(reader.GetInt64(0), reader.GetString(1), (byte[])reader[2], (byte[])reader[3]));
        }

        return list;
    }

    public IReadOnlyList<FoundAuditRecord> Lookup(AuditLookup lookup) => AuditLookupQuery.Run(session, lookup, ResourcesIndexedThrough);

    public long ArchivableThrough(long beforeMs) =>
        session.Command("SELECT COALESCE(MAX(seq), 0) FROM audit_log WHERE event_time < $t AND seq < (SELECT MAX(seq) FROM audit_log)")
            .With("$t", beforeMs).ExecuteScalar() is long seq ? seq : 0;

    public int DeleteThrough(long sequence, int limit)
    {
        var through = session.Command("SELECT MAX(seq) FROM (SELECT seq FROM audit_log WHERE seq <= $s ORDER BY seq LIMIT $l) AS batch")
            .With("$s", sequence).With("$l", limit).ExecuteScalar() is long last ? last : 0;
        if (through == 0)
        {
            return 0;
        }

        // The records' index rows are found from the records themselves (no index on seq: it was a
        // second b-tree to update for every row of every read record, for the sake of this rare delete).
        var rows = new List<(long Seq, long Time, string Json)>();
        using (var reader = session.Command("SELECT seq, event_time, record FROM audit_log WHERE seq <= $s ORDER BY seq").With("$s", through).ExecuteReader())
        {
            while (reader.Read())
            {
                rows.Add((reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2)));
            }
        }

        foreach (var (seq, time, json) in rows)
        {
            foreach (var (kind, value) in AuditResourceIndex.RowsOf(json))
            {
                session.Command("DELETE FROM audit_resources WHERE kind = $k AND value = $v AND event_time = $t AND seq = $s")
                    .With("$k", kind).With("$v", value).With("$t", time).With("$s", seq).ExecuteNonQuery();
            }
        }

        var deleted = session.Command("DELETE FROM audit_log WHERE seq <= $s").With("$s", through).ExecuteNonQuery();

        // Freed pages go back to the file system here rather than staying in the file (issue 9: the
        // live database stays bounded). SQLite's database is in incremental auto-vacuum mode for it;
        // PostgreSQL's autovacuum does it on its own.
        if (session.Dialect.ReclaimSpace is { } reclaim)
        {
            session.Command(reclaim).ExecuteNonQuery();
        }

        return deleted;
    }

    public IReadOnlyList<UsageCount> CountCalls(string accountId, DateTimeOffset from, DateTimeOffset to)
    {
        // Coffer's own work (a rotation's steps, an expiry, a scheduled deletion) is recorded as the
        // service itself: no access key, and the service's name as the user name. Every call a
        // client makes is signed with an access key, and a console sign-in is by a user.
        using var reader = session.Command(
            "SELECT event_source, event_name, CASE WHEN access_key_id IS NULL AND username = event_source THEN 1 ELSE 0 END, count(*) " +
            "FROM audit_log WHERE account_id = $a AND event_time >= $f AND event_time < $t " +
            "GROUP BY 1, 2, 3 ORDER BY 1, 2, 3")
            .With("$a", accountId).With("$f", from.ToUnixMs()).With("$t", to.ToUnixMs()).ExecuteReader();
        var list = new List<UsageCount>();
        while (reader.Read())
        {
            list.Add(new UsageCount(reader.IsDBNull(0) ? "" : reader.GetString(0), reader.IsDBNull(1) ? "" : reader.GetString(1), reader.GetInt64(3))
            {
                ByCoffer = Convert.ToInt64(reader.GetValue(2), System.Globalization.CultureInfo.InvariantCulture) == 1,
            });
        }

        return list;
    }
}
