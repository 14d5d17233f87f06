using Coffer.Core.Audit;

namespace Coffer.Storage.Sqlite;

/// <summary>Appends to the keyed chain. Only the writer session appends, so the chain head it keeps is the truth.</summary>
internal sealed class AuditRepository(SqliteSession session) : IAuditRepository
{
    public void Append(AuditEntry entry)
    {
        var (sequence, previous) = session.AuditHead;
        var chain = session.AuditKeeper ?? throw new InvalidOperationException("This store was opened without an audit chain key: it cannot append to the audit log.");
        var hash = chain.Link(sequence + 1, previous, entry.Json);
        session.Command("INSERT INTO audit_log (seq, event_time, record, prev_hash, hash) VALUES ($s, $t, $r, $p, $h)")
            .With("$s", sequence + 1).With("$t", entry.EventTime.ToUnixMs()).With("$r", entry.Json).With("$p", previous).With("$h", hash)
            .ExecuteNonQuery();
        session.AuditHead = (sequence + 1, hash);
    }

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
}
