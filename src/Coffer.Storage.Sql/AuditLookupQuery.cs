using System.Text;
using Coffer.Core.Audit;

namespace Coffer.Storage.Sql;

/// <summary>
/// LookupEvents as SQL. By an attribute: the records not yet indexed (the newest, at most
/// <see cref="AuditLookupIndex.MaxBacklog"/> of them), then the attribute value's index rows, one per
/// block of records, newest block first, reading the records whose bits are set, so the page is in
/// the chain's order and stops at the limit without scanning the log. By EventId: its own index. With
/// no attribute: the time index, newest first.
/// </summary>
internal static class AuditLookupQuery
{
    /// <summary>How many index rows one query reads: PostgreSQL reads no second result while one is open.</summary>
    private const int BlocksPerQuery = 16;

    public static async ValueTask<IReadOnlyList<FoundAuditRecord>> RunAsync(SqlSession session, AuditLookup lookup, Func<CancellationToken, ValueTask<long>> indexedThrough, CancellationToken cancellationToken)
    {
        if (lookup.Key is not { } key || AuditLookupIndex.KindOf(key) is not { } kind)
        {
            return await DirectAsync(session, lookup, cancellationToken);
        }

        var value = AuditLookupIndex.ValueOf(key, lookup.Value ?? "");
        var through = await indexedThrough(cancellationToken);
        var found = await UnindexedAsync(session, lookup, kind, value, through, cancellationToken);
        if (found.Count < lookup.Limit)
        {
            await IndexedAsync(session, lookup, kind, value, through, found, cancellationToken);
        }

        return found;
    }

    /// <summary>The records after the index that match, newest first, in the same snapshot as the index.</summary>
    private static async ValueTask<List<FoundAuditRecord>> UnindexedAsync(SqlSession session, AuditLookup lookup, string kind, string value, long through, CancellationToken cancellationToken)
    {
        await using var reader = await session.Command(
            "SELECT seq, event_time, record FROM audit_log WHERE seq > $s AND seq < $after AND account_id = $acct AND region = $region ORDER BY seq DESC")
            .With("$s", through).With("$after", lookup.After?.Sequence ?? long.MaxValue)
            .With("$acct", lookup.AccountId).With("$region", lookup.Region).ReaderAsync(cancellationToken);
        var list = new List<FoundAuditRecord>();
        while (list.Count < lookup.Limit && await reader.ReadAsync(cancellationToken))
        {
            var (seq, time) = (reader.GetInt64(0), reader.GetInt64(1));
            if (InRange(lookup, time))
            {
                var json = reader.GetString(2);
                if (AuditLookupIndex.Matches(json, kind, value))
                {
                    list.Add(new FoundAuditRecord(seq, time, json));
                }
            }
        }

        return list;
    }

    /// <summary>Adds to <paramref name="found"/> the indexed records that match, newest first, up to the limit.</summary>
    private static async ValueTask IndexedAsync(SqlSession session, AuditLookup lookup, string kind, string value, long through, List<FoundAuditRecord> found, CancellationToken cancellationToken)
    {
        // Every record of a block at or after this one is past where this page starts or not indexed.
        var last = Math.Min(through, (lookup.After?.Sequence ?? long.MaxValue) - 1);
        if (last < 1)
        {
            return;
        }

        var (below, _) = AuditLookupIndex.BlockOf(last);
        below++;
        while (found.Count < lookup.Limit)
        {
            var blocks = await BlocksAsync(session, lookup, kind, value, below, cancellationToken);
            foreach (var (block, members) in blocks)
            {
                await ReadBlockAsync(session, lookup, block, members, last, found, cancellationToken);
                if (found.Count >= lookup.Limit)
                {
                    return;
                }
            }

            if (blocks.Count < BlocksPerQuery)
            {
                return;
            }

            below = blocks[^1].Block;
        }
    }

    private static async ValueTask<List<(long Block, byte[] Members)>> BlocksAsync(SqlSession session, AuditLookup lookup, string kind, string value, long below, CancellationToken cancellationToken)
    {
        await using var reader = await session.Command(BlocksSql(lookup))
            .With("$acct", lookup.AccountId).With("$region", lookup.Region).With("$k", kind).With("$v", value).With("$below", below)
            .With("$start", lookup.Start?.ToUnixMs()).With("$end", lookup.End?.ToUnixMs()).With("$n", BlocksPerQuery)
            .ReaderAsync(cancellationToken);
        var list = new List<(long, byte[])>();
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add((reader.GetInt64(0), (byte[])reader[1]));
        }

        return list;
    }

    /// <summary>Reads the records of one block whose bits are set, newest first, at most as many as the page still needs at a time.</summary>
    private static async ValueTask ReadBlockAsync(SqlSession session, AuditLookup lookup, long block, byte[] members, long last, List<FoundAuditRecord> found, CancellationToken cancellationToken)
    {
        var wanted = new List<long>();
        for (var bit = Math.Min(members.Length * 8, AuditLookupIndex.BlockSize) - 1; bit >= 0; bit--)
        {
            var seq = AuditLookupIndex.SequenceOf(block, bit);
            if (seq <= last && (members[bit >> 3] & (1 << (bit & 7))) != 0)
            {
                wanted.Add(seq);
            }
        }

        var next = 0;
        while (next < wanted.Count && found.Count < lookup.Limit)
        {
            var take = Math.Min(lookup.Limit - found.Count, wanted.Count - next);
            var (high, low) = (wanted[next], wanted[next + take - 1]);
            var chunk = new HashSet<long>(wanted.GetRange(next, take));
            next += take;
            await using var reader = await session.Command("SELECT seq, event_time, record FROM audit_log WHERE seq >= $lo AND seq <= $hi ORDER BY seq DESC")
                .With("$lo", low).With("$hi", high).ReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var (seq, time) = (reader.GetInt64(0), reader.GetInt64(1));
                if (chunk.Contains(seq) && InRange(lookup, time))
                {
                    found.Add(new FoundAuditRecord(seq, time, reader.GetString(2)));
                }
            }
        }
    }

    private static bool InRange(AuditLookup lookup, long time) =>
        (lookup.Start is not { } start || time >= start.ToUnixMs()) && (lookup.End is not { } end || time <= end.ToUnixMs());

    /// <summary>One value's index rows below a block, newest first, skipping blocks outside the time range.</summary>
    internal static string BlocksSql(AuditLookup lookup)
    {
        var sql = new StringBuilder("SELECT block, members FROM audit_index WHERE account_id = $acct AND region = $region AND kind = $k AND value = $v AND block < $below");
        if (lookup.Start is not null)
        {
            sql.Append(" AND max_time >= $start");
        }

        if (lookup.End is not null)
        {
            sql.Append(" AND min_time <= $end");
        }

        return sql.Append(" ORDER BY block DESC LIMIT $n").ToString();
    }

    private static async ValueTask<List<FoundAuditRecord>> DirectAsync(SqlSession session, AuditLookup lookup, CancellationToken cancellationToken)
    {
        var cmd = session.Command(Sql(lookup))
            .With("$acct", lookup.AccountId).With("$region", lookup.Region).With("$limit", lookup.Limit)
            .With("$start", lookup.Start?.ToUnixMs()).With("$end", lookup.End?.ToUnixMs())
            .With("$at", lookup.After?.EventTimeMs).With("$as", lookup.After?.Sequence);
        if (lookup.Key is not null)
        {
            cmd.With("$v", lookup.Value);
        }

        await using var reader = await cmd.ReaderAsync(cancellationToken);
        var list = new List<FoundAuditRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(new FoundAuditRecord(reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2)));
        }

        return list;
    }

    /// <summary>The query of a lookup by EventId or by time alone (values are parameters): newest first by time.</summary>
    internal static string Sql(AuditLookup lookup)
    {
        var sql = new StringBuilder(lookup.Key is LookupAttributeKey.EventId
            ? "SELECT a.seq, a.event_time, a.record FROM audit_log a WHERE a.event_id = $v"
            : lookup.Key is null
                ? "SELECT a.seq, a.event_time, a.record FROM audit_log a WHERE 1 = 1"
                : throw new ArgumentOutOfRangeException(nameof(lookup), lookup.Key, "Attributes other than EventId are looked up in audit_index."));
        sql.Append(" AND a.account_id = $acct AND a.region = $region");
        if (lookup.Start is not null)
        {
            sql.Append(" AND a.event_time >= $start");
        }

        if (lookup.End is not null)
        {
            sql.Append(" AND a.event_time <= $end");
        }

        if (lookup.After is not null)
        {
            sql.Append(" AND (a.event_time < $at OR (a.event_time = $at AND a.seq < $as))");
        }

        return sql.Append(" ORDER BY a.event_time DESC, a.seq DESC LIMIT $limit").ToString();
    }
}
