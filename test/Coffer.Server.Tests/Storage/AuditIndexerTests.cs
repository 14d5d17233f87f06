using Coffer.Core.Audit;
using Coffer.Storage.Sql;
using Microsoft.Extensions.Time.Testing;

namespace Coffer.Server.Tests.Storage;

/// <summary>When the writer indexes what the chain appended (issue 11): in batches, not a record at a time.</summary>
public sealed class AuditIndexerTests
{
    private readonly FakeTimeProvider _clock = new();
    private readonly AuditIndexer _indexer;

    public AuditIndexerTests()
    {
        _indexer = new AuditIndexer(_clock);
        _indexer.Indexed(100);
    }

    [Fact]
    public void A_store_started_with_nothing_indexed_indexes_at_once_even_while_writes_wait()
    {
        Assert.NotNull(new AuditIndexer(_clock).Next(head: 5, idle: false));
    }

    [Fact]
    public void A_few_records_wait_for_the_idle_delay_before_they_are_indexed()
    {
        Assert.Null(_indexer.Next(head: 110, idle: true));
        Assert.Equal(AuditIndexer.IdleDelay, _indexer.DueIn(110));

        _clock.Advance(AuditIndexer.IdleDelay - TimeSpan.FromMilliseconds(1));
        Assert.Null(_indexer.Next(head: 120, idle: true));
        Assert.Equal(TimeSpan.FromMilliseconds(1), _indexer.DueIn(120));

        // The delay runs from the oldest pending record, not the newest.
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.NotNull(_indexer.Next(head: 130, idle: true));
        Assert.Equal(TimeSpan.Zero, _indexer.DueIn(130));
    }

    [Fact]
    public void Nothing_is_indexed_while_writes_wait_until_the_backlog_reaches_its_bound()
    {
        Assert.Null(_indexer.Next(head: 101, idle: false));
        _clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Null(_indexer.Next(head: 100 + AuditLookupIndex.BatchSize, idle: false));
        Assert.Null(_indexer.Next(head: 100 + AuditLookupIndex.MaxBacklog - 1, idle: false));
        Assert.NotNull(_indexer.Next(head: 100 + AuditLookupIndex.MaxBacklog, idle: false));
    }

    [Fact]
    public void A_whole_batch_is_indexed_as_soon_as_the_writer_is_idle()
    {
        Assert.Null(_indexer.Next(head: 100 + AuditLookupIndex.BatchSize - 1, idle: true));
        Assert.NotNull(_indexer.Next(head: 100 + AuditLookupIndex.BatchSize, idle: true));
    }

    [Fact]
    public void After_a_round_the_records_left_wait_afresh_and_none_pending_means_no_wait()
    {
        Assert.Null(_indexer.Next(head: 140, idle: true));
        _clock.Advance(TimeSpan.FromSeconds(5));
        Assert.NotNull(_indexer.Next(head: 140, idle: true));

        _indexer.Indexed(130);
        Assert.Null(_indexer.Next(head: 140, idle: true));
        Assert.Equal(AuditIndexer.IdleDelay, _indexer.DueIn(140));

        _indexer.Indexed(140);
        Assert.Null(_indexer.Next(head: 140, idle: true));
        Assert.Null(_indexer.DueIn(140));
    }

    [Fact]
    public void A_log_wiped_behind_the_index_is_indexed_again_at_once()
    {
        Assert.NotNull(_indexer.Next(head: 3, idle: true));
    }
}
