using Coffer.Core.Audit;

namespace Coffer.Storage.Sql;

/// <summary>
/// Keeps LookupEvents' index behind the audit chain (<see cref="AuditLookupIndex"/>) on
/// one store's writer, which runs an indexing transaction of its own between batches: when no write
/// waits and a whole batch of records is pending or the oldest has waited <see cref="IdleDelay"/>, or
/// at once when the backlog reaches its bound. Nothing waits for it, so it is not durable on its own
/// account: what a crash loses of it is indexed again from the records.
/// <para>
/// Indexing whenever the writer was idle, as it first did, indexed each record alone under a light
/// or paced load: a SELECT and an upsert per index row, a few dozen statements and some 17 KB of
/// allocations a record, where a batch of 512 shares them (docs/benchmarks.md, issue 11). Lookups read
/// the records not yet indexed themselves, so what waits is still found.
/// </para>
/// </summary>
internal sealed class AuditIndexer(TimeProvider? clock = null)
{
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    /// <summary>How long records may wait, while the writer is idle, before fewer than a batch of them are indexed.</summary>
    public static readonly TimeSpan IdleDelay = TimeSpan.FromSeconds(1);

    private long _through = -1;

    /// <summary>When the oldest record not yet indexed was first seen (a <see cref="TimeProvider.GetTimestamp"/>); null when none is.</summary>
    private long? _pendingSince;

    /// <summary>The indexing job to run now, given the chain's head and whether writes are waiting; null if none is due.</summary>
    public WriteJob? Next(long head, bool idle)
    {
        var backlog = Backlog(head);
        if (backlog <= 0)
        {
            return null;
        }

        var due = backlog >= AuditLookupIndex.MaxBacklog
            || (idle && (backlog >= AuditLookupIndex.BatchSize || Waited >= IdleDelay));
        return due ? new IndexJob(this, head) : null;
    }

    /// <summary>How long the idle writer may wait for writes before <see cref="Next"/> has a job for it; null when nothing waits to be indexed.</summary>
    public TimeSpan? DueIn(long head) =>
        Backlog(head) <= 0 ? null : Waited >= IdleDelay ? TimeSpan.Zero : IdleDelay - Waited;

    /// <summary>Records the index complete through <paramref name="through"/>: what is pending from then on waits afresh.</summary>
    public void Indexed(long through)
    {
        _through = through;
        _pendingSince = null;
    }

    private TimeSpan Waited => _pendingSince is { } since ? _clock.GetElapsedTime(since) : TimeSpan.Zero;

    private long Backlog(long head)
    {
        if (head < _through)
        {
            // The log was wiped (dev mode's reset): what is indexed is read again.
            _through = -1;
        }

        var backlog = _through < 0 ? long.MaxValue : head - _through;
        if (backlog <= 0)
        {
            _pendingSince = null;
        }
        else
        {
            _pendingSince ??= _clock.GetTimestamp();
        }

        return backlog;
    }

    private sealed class IndexJob : WriteJob
    {
        private readonly AuditIndexer _indexer;
        private Exception? _error;

        // Relaxed: it writes nothing a crash could lose for good (the rows are made again from the records).
        private readonly long _head;

        public IndexJob(AuditIndexer indexer, long head)
        {
            _indexer = indexer;
            _head = head;
            Relaxed = true;
            OffChain = true;
        }

        public override bool IsCancelled => false;

        public override bool Failed => _error is not null;

        public override async ValueTask RunAsync(SqlSession session)
        {
            var indexed = await session.Audit.IndexRecordsAsync(AuditLookupIndex.BatchSize, CancellationToken.None);
            var through = await session.Audit.IndexedThroughAsync(CancellationToken.None);

            // Nothing left to read (the rest was archived away, say): the index is as far as the head.
            // Never past the head this round was asked for (on PostgreSQL another node's records may
            // be further on), or the next round would find the head behind and start again without end.
            _indexer.Indexed(Math.Min(indexed == 0 ? session.AuditHead.Sequence : through, _head));
        }

        // A failed indexing leaves the records unindexed, and lookups read them; the next round tries again.
        public override void Fail(Exception e) => _error ??= e;

        public override void Complete()
        {
            if (_error is not null)
            {
                // Not again until the head moves: lookups read unindexed records themselves meanwhile.
                _indexer.Indexed(_head);
            }
        }

        public override void Cancel()
        {
        }
    }
}
