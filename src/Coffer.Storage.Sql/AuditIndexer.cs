using Coffer.Core.Audit;

namespace Coffer.Storage.Sql;

/// <summary>
/// Keeps LookupEvents' index behind the audit chain (<see cref="AuditLookupIndex"/>) on
/// one store's writer: after a batch, when no write waits (or when the backlog reaches its bound),
/// the writer runs one indexing transaction of its own. Nothing waits for it, so it is not durable on
/// its own account: what a crash loses of it is indexed again from the records.
/// </summary>
internal sealed class AuditIndexer
{
    private long _through = -1;

    /// <summary>The indexing job to run now, given the chain's head and whether writes are waiting; null if none is due.</summary>
    public WriteJob? Next(long head, bool idle)
    {
        if (head < _through)
        {
            // The log was wiped (dev mode's reset): what is indexed is read again.
            _through = -1;
        }

        var backlog = _through < 0 ? long.MaxValue : head - _through;
        return backlog > 0 && (idle || backlog >= AuditLookupIndex.MaxBacklog) ? new IndexJob(this, head) : null;
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
            _indexer._through = Math.Min(indexed == 0 ? session.AuditHead.Sequence : through, _head);
        }

        // A failed indexing leaves the records unindexed, and lookups read them; the next round tries again.
        public override void Fail(Exception e) => _error ??= e;

        public override void Complete()
        {
            if (_error is not null)
            {
                // Not again until the head moves: lookups read unindexed records themselves meanwhile.
                _indexer._through = _head;
            }
        }

        public override void Cancel()
        {
        }
    }
}
