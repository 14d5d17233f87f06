using System.Globalization;
using Coffer.Core.Audit;

namespace Coffer.Storage.Sql;

/// <summary>Appends to the keyed chain. Only the writer session appends, so the chain head it keeps is the truth.</summary>
internal sealed class AuditRepository(SqlSession session) : IAuditRepository
{
    /// <summary>The append's statement: the record is bound as its UTF-8 bytes and stored as text
    /// (<see cref="SqlDialect.TextFromUtf8"/>), the bytes its link is the MAC of.</summary>
    private string Insert => _insert ??=
        "INSERT INTO audit_log (seq, event_time, record, prev_hash, hash, account_id, region, event_id, event_name, event_source, read_only, username, access_key_id) " +
        $"VALUES ($s, $t, {session.Dialect.TextFromUtf8("$r")}, $p, $h, $acct, $region, $id, $name, $source, $ro, $user, $akid)";

    private string? _insert;

    private const string UpsertIndexRow =
        "INSERT INTO audit_index (account_id, region, kind, value, block, members, min_time, max_time) VALUES ($a, $r, $k, $v, $b, $m, $lo, $hi) " +
        "ON CONFLICT (account_id, region, kind, value, block) DO UPDATE SET members = excluded.members, min_time = excluded.min_time, max_time = excluded.max_time";

    private const string SelectIndexRow =
        "SELECT members, min_time, max_time FROM audit_index WHERE account_id = $a AND region = $r AND kind = $k AND value = $v AND block = $b";

    public ValueTask AppendAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        var (cmd, seq, hash) = AppendCommand(entry);
        var run = cmd.NonQueryAsync(cancellationToken);

        // On SQLite the statement has run by now: no state machine on the read path's record (issue 10).
        if (run.IsCompletedSuccessfully)
        {
            Appended(entry, seq, hash);
            return ValueTask.CompletedTask;
        }

        return AwaitAppend(run, entry, seq, hash);
    }

    private async ValueTask AwaitAppend(ValueTask<int> run, AuditEntry entry, long seq, byte[] hash)
    {
        await run;
        Appended(entry, seq, hash);
    }

    /// <summary>The append's statement, bound, with the record's number and link.</summary>
    private (System.Data.Common.DbCommand Command, long Sequence, byte[] Hash) AppendCommand(AuditEntry entry)
    {
        var (seq, previous, hash) = Link(entry);
        return (Bind(session.Command(Insert), static (c, n, v) => c.With(n, v), entry, seq, previous, hash), seq, hash);
    }

    /// <summary>
    /// Adds the appends of <paramref name="entries"/>, linked in order after the head, to
    /// <paramref name="batch"/>, for a store that sends a run of read records in one round trip
    /// (PostgreSQL, under its write lock). The head moves past each as its append is added: a caller
    /// whose batch then fails throws the session away, as a failed write transaction does.
    /// </summary>
    public void AddAppends(System.Data.Common.DbBatch batch, IReadOnlyList<AuditEntry> entries)
    {
        foreach (var entry in entries)
        {
            var (seq, previous, hash) = Link(entry);
            Bind(session.BatchCommand(batch, Insert), static (c, n, v) => c.With(n, v), entry, seq, previous, hash);
            Appended(entry, seq, hash);
        }
    }

    /// <summary>The next record's number, the link it follows and its own link.</summary>
    private (long Sequence, byte[] Previous, byte[] Hash) Link(AuditEntry entry)
    {
        var (sequence, previous) = session.AuditHead;
        var chain = session.AuditKeeper ?? throw new InvalidOperationException("This store was opened without an audit chain key: it cannot append to the audit log.");
        var seq = sequence + 1;
        return (seq, previous, chain.Link(seq, previous, entry.Utf8Json));
    }

    /// <summary>Binds the append's parameters, the same whether it runs alone or in a batch.</summary>
    private static T Bind<T>(T cmd, Func<T, string, object?, T> with, AuditEntry entry, long seq, byte[] previous, byte[] hash)
    {
        var keys = entry.Lookup;
        with(cmd, "$s", seq);
        with(cmd, "$t", entry.EventTime.ToUnixMs());
        with(cmd, "$r", entry.Utf8Json);
        with(cmd, "$p", previous);
        with(cmd, "$h", hash);
        with(cmd, "$acct", keys.AccountId);
        with(cmd, "$region", keys.Region);
        with(cmd, "$id", keys.EventId);
        with(cmd, "$name", keys.EventName);
        with(cmd, "$source", keys.EventSource);
        with(cmd, "$ro", keys.ReadOnly ? 1 : 0);
        with(cmd, "$user", keys.Username);
        return with(cmd, "$akid", keys.AccessKeyId);
    }

    /// <summary>Moves the head past a record just inserted, and leaves its index rows for the indexer.</summary>
    private void Appended(AuditEntry entry, long seq, byte[] hash)
    {
        session.AuditHead = (seq, hash);

        // The record is indexed behind the chain (IndexRecords), not here: a dozen index rows a record
        // were most of the single writer's time on a hot read (issue 11). Its rows wait in memory so
        // the indexer need not read the record back. A failed write's records were rolled back and
        // their numbers are taken again: what they left waiting goes.
        var pending = session.PendingIndex;
        while (pending.Count > 0 && pending[^1].Sequence >= seq)
        {
            pending.RemoveAt(pending.Count - 1);
        }

        if (pending.Count < AuditLookupIndex.MaxBacklog * 2)
        {
            var keys = entry.Lookup;
            pending.Add(new PendingIndexRows(seq, entry.EventTime.ToUnixMs(), keys.AccountId, keys.Region, entry.IndexRows));
        }
    }

    public async ValueTask<int> IndexRecordsAsync(int limit, CancellationToken cancellationToken)
    {
        var through = await IndexedThroughAsync(cancellationToken);
        var head = session.AuditHead.Sequence;
        if (through > head)
        {
            // The log ends before the index does (records were removed, which verification reports, or
            // the store was wiped): bits past the head name records that are gone, and must not be
            // taken for the records that will get those numbers next. The head's block is indexed again.
            var (block, _) = AuditLookupIndex.BlockOf(head + 1);
            await session.Command("DELETE FROM audit_index WHERE block >= $b").With("$b", block).NonQueryAsync(cancellationToken);
            through = block * AuditLookupIndex.BlockSize;
            await session.Meta.SetAsync(AuditLookupIndex.ThroughKey, through.ToString(CultureInfo.InvariantCulture), cancellationToken);
        }

        var upTo = Math.Min(head, through + limit);
        if (upTo <= through)
        {
            return 0;
        }

        // The batch's table is kept for the next batch (issue 11: it was made again for every record
        // when the writer indexes as it idles), and emptied whatever happens to this one.
        var rows = _rows;
        try
        {
            foreach (var record in await RecordsToIndexAsync(through, upTo, cancellationToken))
            {
                var (block, bit) = AuditLookupIndex.BlockOf(record.Sequence);
                foreach (var (kind, value) in record.Rows)
                {
                    var key = (record.AccountId, record.Region, kind, value, block);
                    if (!rows.TryGetValue(key, out var row))
                    {
                        row = rows[key] = new IndexRow();
                    }

                    row.Add(bit, record.EventTimeMs);
                }
            }

            foreach (var ((account, region, kind, value, block), row) in rows)
            {
                // A block that began before this batch may already have a row for the value: its bits are kept.
                if (AuditLookupIndex.SequenceOf(block, 0) <= through)
                {
                    await using var reader = await session.Command(SelectIndexRow)
                        .With("$a", account).With("$r", region).With("$k", kind).With("$v", value).With("$b", block).ReaderAsync(cancellationToken);
                    if (await reader.ReadAsync(cancellationToken))
                    {
                        row.Merge((byte[])reader[0], reader.GetInt64(1), reader.GetInt64(2));
                    }
                }

                await session.Command(UpsertIndexRow)
                    .With("$a", account).With("$r", region).With("$k", kind).With("$v", value).With("$b", block)
                    .With("$m", row.Members).With("$lo", row.MinTime).With("$hi", row.MaxTime)
                    .NonQueryAsync(cancellationToken);
            }
        }
        finally
        {
            var large = rows.Count > 1024;
            rows.Clear();
            if (large)
            {
                rows.TrimExcess();
            }
        }

        session.PendingIndex.RemoveAll(p => p.Sequence <= upTo);
        await session.Meta.SetAsync(AuditLookupIndex.ThroughKey, upTo.ToString(CultureInfo.InvariantCulture), cancellationToken);
        return (int)(upTo - through);
    }

    /// <summary>One indexing batch's rows, by account, region, kind, value and block.</summary>
    private readonly Dictionary<(string Account, string Region, string Kind, string Value, long Block), IndexRow> _rows = [];

    public async ValueTask<long> IndexedThroughAsync(CancellationToken cancellationToken) =>
        await session.Meta.GetAsync(AuditLookupIndex.ThroughKey, cancellationToken) is { } text ? long.Parse(text, CultureInfo.InvariantCulture) : 0;

    /// <summary>Records (after, upTo] with their index rows: from what their appends left in memory
    /// when it holds all of them, else read back from the log (after a restart, or another node's).</summary>
    private async ValueTask<List<PendingIndexRows>> RecordsToIndexAsync(long after, long upTo, CancellationToken cancellationToken)
    {
        var pending = session.PendingIndex;
        var first = pending.FindIndex(p => p.Sequence == after + 1);
        var count = (int)(upTo - after);
        if (first >= 0 && first + count <= pending.Count && pending[first + count - 1].Sequence == upTo)
        {
            return pending.GetRange(first, count);
        }

        var list = new List<PendingIndexRows>(count);
        await using var reader = await session.Command("SELECT seq, event_time, account_id, region, record FROM audit_log WHERE seq > $s AND seq <= $u ORDER BY seq")
            .With("$s", after).With("$u", upTo).ReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(new PendingIndexRows(
                reader.GetInt64(0), reader.GetInt64(1), reader.GetNullableString(2) ?? "", reader.GetNullableString(3) ?? "", AuditLookupIndex.RowsOf(reader.GetString(4))));
        }

        return list;
    }

    /// <summary>One index row being built: the block's bitmap for one value, and its records' time span.</summary>
    private sealed class IndexRow
    {
        public byte[] Members { get; } = new byte[AuditLookupIndex.BlockSize / 8];

        public long MinTime { get; private set; } = long.MaxValue;

        public long MaxTime { get; private set; } = long.MinValue;

        public void Add(int bit, long time)
        {
            Members[bit >> 3] |= (byte)(1 << (bit & 7));
            MinTime = Math.Min(MinTime, time);
            MaxTime = Math.Max(MaxTime, time);
        }

        public void Merge(byte[] members, long minTime, long maxTime)
        {
            for (var i = 0; i < Math.Min(members.Length, Members.Length); i++)
            {
                Members[i] |= members[i];
            }

            MinTime = Math.Min(MinTime, minTime);
            MaxTime = Math.Max(MaxTime, maxTime);
        }
    }

    private const string After = "SELECT seq, record, prev_hash, hash FROM audit_log WHERE seq > $s ORDER BY seq LIMIT $l";

    public async ValueTask<IReadOnlyList<StoredAuditRecord>> ReadAfterAsync(long sequence, int limit, CancellationToken cancellationToken)
    {
        await using var reader = await session.Command(After).With("$s", sequence).With("$l", limit).ReaderAsync(cancellationToken);
        var list = new List<StoredAuditRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(new StoredAuditRecord(reader.GetInt64(0), reader.GetString(1), (byte[])reader[2], (byte[])reader[3]));
        }

        return list;
    }

    public ValueTask<IReadOnlyList<FoundAuditRecord>> LookupAsync(AuditLookup lookup, CancellationToken cancellationToken) =>
        AuditLookupQuery.RunAsync(session, lookup, IndexedThroughAsync, cancellationToken);

    public async ValueTask<long> ArchivableThroughAsync(long beforeMs, CancellationToken cancellationToken) =>
        await session.Command("SELECT COALESCE(MAX(seq), 0) FROM audit_log WHERE event_time < $t AND seq < (SELECT MAX(seq) FROM audit_log)")
            .With("$t", beforeMs).ScalarAsync(cancellationToken) is long seq ? seq : 0;

    public async ValueTask<int> DeleteThroughAsync(long sequence, int limit, CancellationToken cancellationToken)
    {
        var through = await session.Command("SELECT MAX(seq) FROM (SELECT seq FROM audit_log WHERE seq <= $s ORDER BY seq LIMIT $l) AS batch")
            .With("$s", sequence).With("$l", limit).ScalarAsync(cancellationToken) is long last ? last : 0;
        if (through == 0)
        {
            return 0;
        }

        // The index rows of blocks wholly deleted go; a block the deletion cut through keeps its row,
        // whose bits for deleted records find nothing when a lookup reads them.
        var (firstKept, _) = AuditLookupIndex.BlockOf(through + 1);
        await session.Command("DELETE FROM audit_index WHERE block < $b").With("$b", firstKept).NonQueryAsync(cancellationToken);

        var deleted = await session.Command("DELETE FROM audit_log WHERE seq <= $s").With("$s", through).NonQueryAsync(cancellationToken);

        // Freed pages go back to the file system here rather than staying in the file (issue 9: the
        // live database stays bounded). SQLite's database is in incremental auto-vacuum mode for it;
        // PostgreSQL's autovacuum does it on its own.
        if (session.Dialect.ReclaimSpace is { } reclaim)
        {
            await session.Command(reclaim).NonQueryAsync(cancellationToken);
        }

        return deleted;
    }

    public async ValueTask<IReadOnlyList<UsageCount>> CountCallsAsync(string accountId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        // Coffer's own work (a rotation's steps, an expiry, a scheduled deletion) is recorded as the
        // service itself: no access key, and the service's name as the user name. Every call a
        // client makes is signed with an access key, and a console sign-in is by a user.
        await using var reader = await session.Command(
            "SELECT event_source, event_name, CASE WHEN access_key_id IS NULL AND username = event_source THEN 1 ELSE 0 END, count(*) " +
            "FROM audit_log WHERE account_id = $a AND event_time >= $f AND event_time < $t " +
            "GROUP BY 1, 2, 3 ORDER BY 1, 2, 3")
            .With("$a", accountId).With("$f", from.ToUnixMs()).With("$t", to.ToUnixMs()).ReaderAsync(cancellationToken);
        var list = new List<UsageCount>();
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(new UsageCount(reader.GetNullableString(0) ?? "", reader.GetNullableString(1) ?? "", reader.GetInt64(3))
            {
                ByCoffer = Convert.ToInt64(reader.GetValue(2), System.Globalization.CultureInfo.InvariantCulture) == 1,
            });
        }

        return list;
    }
}
