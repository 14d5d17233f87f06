using Coffer.Core;
using Coffer.Core.Audit;
using Coffer.Core.Identity;
using Coffer.Core.Parameters;
using Coffer.Core.Storage;
using Coffer.Storage.Sql;

namespace Coffer.Server.Tests.Storage;

/// <summary>The storage contract on PostgreSQL, and what several nodes on one database add to it:
/// read-your-writes across nodes, one version sequence, cache generations, the scheduler's lease,
/// and a retryable error while the database restarts (issue 10).</summary>
public sealed class PostgresStoreContractTests(PostgresHarness harness) : StoreContractTests(harness), IClassFixture<PostgresHarness>, INeedsPostgres
{
    [StoreFact]
    public async Task A_write_through_one_node_is_read_through_another_as_soon_as_it_returns()
    {
        var other = OpenNode();
        for (var i = 1; i <= 20; i++)
        {
            var value = $"v{i}";
            await Store.WriteAsync((s, ct) => s.Meta.SetAsync("ryw", value, ct));
            Assert.Equal(value, await other.ReadAsync((s, ct) => s.Meta.GetAsync("ryw", ct)));
        }
    }

    [StoreFact]
    public async Task Puts_to_one_parameter_through_three_nodes_get_consecutive_versions()
    {
        ICofferStore[] nodes = [Store, OpenNode(), OpenNode()];
        var puts = Enumerable.Range(0, 60).Select(i => nodes[i % 3].WriteAsync(async (s, ct) =>
        {
            var current = await s.Parameters.FindAsync("111122223333", "us-east-1", "/shared", ct);
            var version = Version("/shared", (current?.Current.Version ?? 0) + 1, $"from-{i % 3}");
            await s.Parameters.InsertVersionAsync("111122223333", "us-east-1", version, ct);
            await s.Parameters.SaveAsync(new Parameter { AccountId = "111122223333", Region = "us-east-1", Current = version }, ct);
            return version.Version;
        })).ToList();
        var versions = await Task.WhenAll(puts);

        Assert.Equal(Enumerable.Range(1, 60).Select(v => (long)v), versions.Order());
        Assert.Equal(60, (await nodes[1].ReadAsync((s, ct) => s.Parameters.FindAsync("111122223333", "us-east-1", "/shared", ct)))!.Current.Version);
    }

    [StoreFact]
    public async Task Appends_through_several_nodes_make_one_intact_audit_chain()
    {
        ICofferStore[] nodes = [Store, OpenNode(), OpenNode()];
        await Task.WhenAll(Enumerable.Range(0, 90).Select(i => nodes[i % 3].WriteAsync((s, ct) => s.Audit.AppendAsync(Entry($"n{i}"), ct))));

        var records = await Store.ReadAsync((s, ct) => s.Audit.ReadAfterAsync(0, 1000, ct));
        Assert.Equal(Enumerable.Range(1, 90).Select(i => (long)i), records.Select(r => r.Sequence));
        Assert.Equal(90, records.Select(r => r.Json).Distinct().Count());
    }

    [StoreFact]
    public async Task A_change_to_access_keys_through_one_node_moves_its_generation_as_every_node_reads_it_once_committed()
    {
        var other = OpenNode().Generations!;
        var before = Generation(await other.ReadGenerationsAsync(default), StoreChange.Credentials);
        var identities = Generation(await other.ReadGenerationsAsync(default), StoreChange.Identities);

        await Store.WriteAsync(async (s, ct) =>
        {
            await s.AccessKeys.InsertAsync(
                new AccessKeyRecord
                {
                    AccessKeyId = "AKIACONTRACTTEST0001",
                    AccountId = "111122223333",
                    OwnerType = PrincipalType.Root,
                    OwnerArn = "arn:aws:iam::111122223333:root",
                    OwnerId = "111122223333",
                    WrappedSecret = [1, 2, 3],
                    CreateDate = DateTimeOffset.UnixEpoch,
                },
                ct);
            return true;
        });
        var after = await other.ReadGenerationsAsync(default);

        // Moved as the write returned, not a moment later; a topic the write did not touch stays.
        Assert.NotEqual(before, Generation(after, StoreChange.Credentials));
        Assert.Equal(identities, Generation(after, StoreChange.Identities));

        // A write that fails moves nothing: its transaction, generation included, is rolled back.
        await Assert.ThrowsAnyAsync<InvalidOperationException>(() => Store.WriteAsync<bool>(async (s, ct) =>
        {
            await s.Iam.DeletePolicyAsync("arn:aws:iam::000000000000:policy/none", ct);
            throw new InvalidOperationException("no");
        }));
        Assert.Equal(identities, Generation(await other.ReadGenerationsAsync(default), StoreChange.Identities));
    }

    [StoreFact]
    public async Task The_schedule_lease_is_held_by_one_node_and_taken_over_when_it_goes()
    {
        var first = (ICofferStore)Store;
        var second = OpenNode();
        Assert.True(first.TryHoldScheduleLease());
        Assert.False(((ICofferStore)second).TryHoldScheduleLease());
        Assert.True(first.TryHoldScheduleLease());

        await Store.DisposeAsync();

        // PostgreSQL frees the lock when the first node's backend sees its connection close, which is
        // a moment after the close returns on a loaded machine: taken over within seconds is the contract.
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!((ICofferStore)second).TryHoldScheduleLease() && waited.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(50);
        }

        Assert.True(((ICofferStore)second).TryHoldScheduleLease());
    }

    [StoreFact]
    public async Task While_the_database_restarts_calls_fail_with_a_retryable_error_and_then_recover()
    {
        await Store.WriteAsync((s, ct) => s.Meta.SetAsync("before", "1", ct));
        await harness.Server.StopAsync();
        try
        {
            var read = await Assert.ThrowsAsync<CofferException>(async () => await Store.ReadAsync((s, ct) => s.Meta.GetAsync("before", ct)));
            var write = await Assert.ThrowsAsync<CofferException>(() => Store.WriteAsync((s, ct) => s.Meta.SetAsync("during", "1", ct)));
            Assert.Equal(ErrorCodes.ServiceUnavailable, read.Code);
            Assert.Equal(ErrorCodes.ServiceUnavailable, write.Code);
        }
        finally
        {
            await harness.Server.StartAsync();
        }

        await Store.WriteAsync((s, ct) => s.Meta.SetAsync("after", "1", ct));
        Assert.Equal(("1", null, "1"), await Store.ReadAsync(async (s, ct) => (await s.Meta.GetAsync("before", ct), await s.Meta.GetAsync("during", ct), await s.Meta.GetAsync("after", ct))));
    }

    [StoreFact]
    public async Task Read_records_and_changes_through_three_nodes_make_one_intact_chain()
    {
        // Read records take their own path (two round trips under the write lock, committed without
        // waiting for the flush); changes take the write path. Both append to the one chain.
        ICofferStore[] nodes = [Store, OpenNode(), OpenNode()];
        var calls = Enumerable.Range(0, 300).Select(i => i % 10 == 0
            ? nodes[i % 3].WriteAsync(async (s, ct) =>
            {
                await s.Meta.SetAsync($"change.{i}", "x", ct);
                await s.Audit.AppendAsync(Entry($"change-{i}"), ct);
                return true;
            })
            : nodes[i % 3].AppendRecordAsync(Entry($"read-{i}"))).ToList();
        await Task.WhenAll(calls);

        var records = await Store.ReadAsync((s, ct) => s.Audit.ReadAfterAsync(0, 1000, ct));
        Assert.Equal(Enumerable.Range(1, 300).Select(i => (long)i), records.Select(r => r.Sequence));
        Assert.Equal(300, records.Select(r => r.Json).Distinct().Count());
        using var keys = ChainKeys();
        Assert.True(AuditChain.Verify(records, keys, 1, null).IsIntact);
    }

    [StoreFact]
    public async Task A_read_record_is_answered_only_once_durable_so_PostgreSQL_crashing_right_after_loses_none()
    {
        // Committed without waiting for the flush, a record would be visible at once but could be lost
        // to a crash of PostgreSQL; it is answered only after a flush that covers it. PostgreSQL's WAL
        // writer would flush it within a fifth of a second on its own, often before the crash below:
        // slowed to ten seconds, it cannot hide a record answered before its flush.
        await harness.Server.ExecuteAsSuperuserAsync("ALTER SYSTEM SET wal_writer_delay = '10s'");
        await harness.Server.ExecuteAsSuperuserAsync("SELECT pg_reload_conf()");
        for (var round = 1; round <= 3; round++)
        {
            await Task.WhenAll(Enumerable.Range(0, 200).Select(i => Store.AppendRecordAsync(Entry($"read-{round}-{i}"))));
            await harness.Server.StopAsync("immediate");
            await harness.Server.StartAsync();

            IReadOnlyList<StoredAuditRecord>? records = null;
            for (var attempt = 0; records is null; attempt++)
            {
                try
                {
                    records = await Store.ReadAsync((s, ct) => s.Audit.ReadAfterAsync(0, 1000, ct));
                }
                catch (CofferException e) when (e.Code == ErrorCodes.ServiceUnavailable && attempt < 5)
                {
                    // The pool's connections died with the server; the first call clears them.
                }
            }

            Assert.Equal(200 * round, records.Count);
        }
    }

    [StoreFact]
    public async Task Pooled_connections_carry_no_session_setting_from_one_use_to_the_next()
    {
        // The store's pool skips Npgsql's session reset (issue 10's statement profile), so a setting made
        // with SET rather than SET LOCAL would outlive its transaction and reach whatever used the
        // connection next: a durable write committed with synchronous_commit off. Read records are
        // committed with SET LOCAL synchronous_commit TO OFF; after many, no pooled connection has it.
        await Task.WhenAll(Enumerable.Range(0, 100).Select(i => Store.AppendRecordAsync(Entry($"read-{i}"))));
        await Store.WriteAsync((s, ct) => s.Meta.SetAsync("after-records", "x", ct));

        var settings = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Store.ReadAsync(async (s, ct) =>
        {
            var setting = (string?)await ((SqlSession)s).Command("SHOW synchronous_commit").ScalarAsync(ct);
            await Task.Delay(20, ct);   // held a moment, so the reads take several pooled connections
            return setting;
        }).AsTask()));
        Assert.All(settings, setting => Assert.Equal("on", setting));
    }

    [StoreFact]
    public async Task Read_records_alone_move_the_anchor_once_flushed_and_never_past_the_log()
    {
        var dir = Directory.CreateTempSubdirectory("coffer-anchor-").FullName;
        try
        {
            var keeper = new AuditChainKeeper(dir);
            using var keys = ChainKeys();
            keeper.Open(keys, 1);
            var node = OpenNode(keeper);
            await Task.WhenAll(Enumerable.Range(0, 50).Select(i => node.AppendRecordAsync(Entry($"read-{i}"))));

            // Answered only after their flush, which moves the anchor before it answers them.
            var (status, anchor) = AuditAnchorFile.Read(dir, keys);
            Assert.Equal(AnchorStatus.Valid, status);
            Assert.Equal(50, anchor!.Sequence);
            var head = (await node.ReadAsync((s, ct) => s.Audit.ReadAfterAsync(49, 10, ct))).Single();
            Assert.Equal(head.Hash, anchor.Head);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static long? Generation(IReadOnlyList<(string Topic, long Generation)> generations, string topic) =>
        generations.Where(g => g.Topic == topic).Select(g => (long?)g.Generation).SingleOrDefault();
}
