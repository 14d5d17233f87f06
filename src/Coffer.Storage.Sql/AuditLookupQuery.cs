using System.Text;
using Coffer.Core.Audit;

namespace Coffer.Storage.Sql;

/// <summary>
/// LookupEvents as SQL: one indexed column (or the resources table) narrows to one attribute value,
/// its index orders by time, and the page stops at the limit, so a lookup does not scan the log.
/// </summary>
internal static class AuditLookupQuery
{
    public static IReadOnlyList<FoundAuditRecord> Run(SqlSession session, AuditLookup lookup, Func<long> resourcesIndexedThrough)
    {
        var byResource = lookup.Key is LookupAttributeKey.ResourceName or LookupAttributeKey.ResourceType;
        if (!byResource)
        {
            return Indexed(session, lookup, byResource);
        }

        // The index covers the records up to `through`; those after it (at most MaxBacklog, the
        // newest) are read and matched here, in the same snapshot, and the two sorted parts merged.
        var through = resourcesIndexedThrough();
        var indexed = Indexed(session, lookup, byResource);
        var tail = Unindexed(session, lookup, through);
        return tail.Count == 0
            ? indexed
            : [.. indexed.Concat(tail).OrderByDescending(r => r.EventTimeMs).ThenByDescending(r => r.Sequence).Take(lookup.Limit)];
    }

    private static List<FoundAuditRecord> Unindexed(SqlSession session, AuditLookup lookup, long through)
    {
        var kind = lookup.Key == LookupAttributeKey.ResourceName ? AuditResourceIndex.NameKind : AuditResourceIndex.TypeKind;
        using var reader = session.Command(
            "SELECT seq, event_time, record FROM audit_log WHERE seq > $s AND account_id = $acct AND region = $region ORDER BY seq")
            .With("$s", through).With("$acct", lookup.AccountId).With("$region", lookup.Region).ExecuteReader();
        var list = new List<FoundAuditRecord>();
        var (start, end, after) = (lookup.Start?.ToUnixMs(), lookup.End?.ToUnixMs(), lookup.After);
        while (reader.Read())
        {
            var (seq, time) = (reader.GetInt64(0), reader.GetInt64(1));
            if ((start is { } s && time < s) || (end is { } e && time > e) ||
                (after is not null && !(time < after.EventTimeMs || (time == after.EventTimeMs && seq < after.Sequence))))
            {
                continue;
            }

            var json = reader.GetString(2);
            if (AuditResourceIndex.Matches(json, kind, lookup.Value!))
            {
                list.Add(new FoundAuditRecord(seq, time, json));
            }
        }

        return list;
    }

    private static List<FoundAuditRecord> Indexed(SqlSession session, AuditLookup lookup, bool byResource)
    {
        var cmd = session.Command(Sql(lookup))
            .With("$acct", lookup.AccountId).With("$region", lookup.Region).With("$limit", lookup.Limit)
            .With("$start", lookup.Start?.ToUnixMs()).With("$end", lookup.End?.ToUnixMs())
            .With("$at", lookup.After?.EventTimeMs).With("$as", lookup.After?.Sequence);
        if (byResource)
        {
            cmd.With("$kind", lookup.Key == LookupAttributeKey.ResourceName ? "name" : "type");
        }

        if (lookup.Key is not null)
        {
            cmd.With("$v", lookup.Key == LookupAttributeKey.ReadOnly ? (object)(lookup.Value == "true" ? 1 : 0) : lookup.Value);
        }

        using var reader = cmd.ExecuteReader();
        var list = new List<FoundAuditRecord>();
        while (reader.Read())
        {
            list.Add(new FoundAuditRecord(reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2)));
        }

        return list;
    }

    /// <summary>The query for a lookup's shape (which attribute, which bounds); values are parameters.</summary>
    internal static string Sql(AuditLookup lookup)
    {
        // t is the table whose index serves the order: audit_log itself, or audit_resources.
        var sql = new StringBuilder();
        var byResource = lookup.Key is LookupAttributeKey.ResourceName or LookupAttributeKey.ResourceType;
        sql.Append(byResource
            ? "SELECT a.seq, a.event_time, a.record FROM audit_resources t JOIN audit_log a ON a.seq = t.seq WHERE t.kind = $kind AND t.value = $v"
            : lookup.Key is { } key
                ? $"SELECT a.seq, a.event_time, a.record FROM audit_log a WHERE a.{Column(key)} = $v"
                : "SELECT a.seq, a.event_time, a.record FROM audit_log a WHERE 1 = 1");

        var time = byResource ? "t.event_time" : "a.event_time";
        var seq = byResource ? "t.seq" : "a.seq";
        sql.Append(" AND a.account_id = $acct AND a.region = $region");
        if (lookup.Start is not null)
        {
            sql.Append(" AND ").Append(time).Append(" >= $start");
        }

        if (lookup.End is not null)
        {
            sql.Append(" AND ").Append(time).Append(" <= $end");
        }

        if (lookup.After is not null)
        {
            sql.Append(" AND (").Append(time).Append(" < $at OR (").Append(time).Append(" = $at AND ").Append(seq).Append(" < $as))");
        }

        sql.Append(" ORDER BY ").Append(time).Append(" DESC, ").Append(seq).Append(" DESC LIMIT $limit");
        return sql.ToString();
    }

    private static string Column(LookupAttributeKey key) => key switch
    {
        LookupAttributeKey.EventId => "event_id",
        LookupAttributeKey.EventName => "event_name",
        LookupAttributeKey.ReadOnly => "read_only",
        LookupAttributeKey.Username => "username",
        LookupAttributeKey.EventSource => "event_source",
        LookupAttributeKey.AccessKeyId => "access_key_id",
        _ => throw new ArgumentOutOfRangeException(nameof(key), key, "Resources are looked up in audit_resources."),
    };
}
