using System.Globalization;
using Coffer.Core.Audit;
using Coffer.Core.Crypto;
using Coffer.Core.Parameters;
using Coffer.Core.Storage;

namespace Coffer.Server.Tests.Storage;

/// <summary>
/// The storage contract, written once and run against every store (issue 10): group commit,
/// savepoint isolation, the audit head's rollback, no lost update under concurrent writers, paging
/// order, large values, and data written by an older schema reading after the migrations.
/// </summary>
public abstract partial class StoreContractTests(IStoreHarness harness) : IAsyncLifetime
{
    private readonly RootKey _root = RootKey.Generate();
    private readonly List<ICofferStore> _open = [];

    protected IStoreHarness Harness => harness;

    protected string Installation { get; private set; } = "";

    protected ICofferStore Store { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Installation = await harness.NewInstallationAsync();
        Store = OpenNode();
    }

    public async Task DisposeAsync()
    {
        foreach (var store in _open)
        {
            await store.DisposeAsync();
        }

        _root.Dispose();
    }

    /// <summary>The keys the installation's audit chain is linked with.</summary>
    protected AuditKeys ChainKeys() => AuditKeys.Derive(_root);

    /// <summary>Another handle on the same installation: another node, for a shared store.</summary>
    protected ICofferStore OpenNode() => OpenNode(TestChain.Open(_root));

    /// <summary>Another node, extending the chain through <paramref name="chain"/> (one that anchors, say).</summary>
    protected ICofferStore OpenNode(AuditChainKeeper chain)
    {
        var store = harness.Open(Installation, chain);
        _open.Add(store);
        return store;
    }

    [StoreFact]
    public async Task Group_commit_acknowledges_every_write_of_a_burst_and_each_is_durable()
    {
        var writes = Enumerable.Range(0, 300).Select(i => Store.WriteAsync((s, ct) => s.Meta.SetAsync($"burst.{i:D3}", i.ToString(CultureInfo.InvariantCulture), ct))).ToList();
        await Task.WhenAll(writes);

        var found = await Store.ReadAsync(async (s, ct) =>
        {
            var count = 0;
            foreach (var i in Enumerable.Range(0, 300))
            {
                count += await s.Meta.GetAsync($"burst.{i:D3}", ct) == i.ToString(CultureInfo.InvariantCulture) ? 1 : 0;
            }

            return count;
        });
        Assert.Equal(300, found);
    }

    [StoreFact]
    public async Task One_failing_write_does_not_undo_its_neighbours_in_the_same_batch()
    {
        var writes = Enumerable.Range(0, 60).Select(i => Store.WriteAsync(async (s, ct) =>
        {
            await s.Meta.SetAsync($"n.{i:D2}", "written", ct);
            if (i % 3 == 0)
            {
                throw new InvalidOperationException("this write fails after its change");
            }
        })).ToList();
        foreach (var (write, i) in writes.Select((w, i) => (w, i)))
        {
            if (i % 3 == 0)
            {
                await Assert.ThrowsAsync<InvalidOperationException>(() => write);
            }
            else
            {
                await write;
            }
        }

        var kept = await Store.ReadAsync(async (s, ct) =>
        {
            var found = new List<int>();
            foreach (var i in Enumerable.Range(0, 60))
            {
                if (await s.Meta.GetAsync($"n.{i:D2}", ct) is not null)
                {
                    found.Add(i);
                }
            }

            return found;
        });
        Assert.Equal(Enumerable.Range(0, 60).Where(i => i % 3 != 0), kept);
    }

    [StoreFact]
    public async Task A_failed_write_takes_its_audit_records_with_it_and_the_chain_stays_whole()
    {
        var writes = Enumerable.Range(0, 40).Select(i => Store.WriteAsync(async (s, ct) =>
        {
            await s.Audit.AppendAsync(Entry($"event-{i}"), ct);
            if (i % 4 == 1)
            {
                throw new InvalidOperationException("fails after appending");
            }
        })).ToList();
        await Task.WhenAll(writes.Select(w => w.ContinueWith(_ => { }, TaskScheduler.Default)));
        await Store.WriteAsync((s, ct) => s.Audit.AppendAsync(Entry("after"), ct));

        var records = await Store.ReadAsync((s, ct) => s.Audit.ReadAfterAsync(0, 1000, ct));
        Assert.Equal(31, records.Count);
        Assert.Equal(Enumerable.Range(1, 31).Select(i => (long)i), records.Select(r => r.Sequence));
        Assert.DoesNotContain(records, r => r.Json.Contains("\"event-1\"", StringComparison.Ordinal) || r.Json.Contains("\"event-5\"", StringComparison.Ordinal));
        using var keys = AuditKeys.Derive(_root);
        Assert.True(AuditChain.Verify(records, keys, 1, null).IsIntact);
    }

    [StoreFact]
    public async Task Concurrent_read_modify_write_loses_no_update()
    {
        await Store.WriteAsync((s, ct) => s.Meta.SetAsync("counter", "0", ct));
        var nodes = Harness.Shared ? [Store, OpenNode(), OpenNode()] : new[] { Store };
        var writes = Enumerable.Range(0, 90).Select(i => nodes[i % nodes.Length].WriteAsync(async (s, ct) =>
        {
            var value = long.Parse((await s.Meta.GetAsync("counter", ct))!, CultureInfo.InvariantCulture);
            await s.Meta.SetAsync("counter", (value + 1).ToString(CultureInfo.InvariantCulture), ct);
        })).ToList();
        await Task.WhenAll(writes);

        Assert.Equal("90", await Store.ReadAsync((s, ct) => s.Meta.GetAsync("counter", ct)));
    }

    [StoreFact]
    public async Task Parameters_page_in_byte_order_whatever_the_case_and_the_script()
    {
        string[] names = ["/b", "/B", "/a/x", "/a-b", "/a/Y", "/é", "/z", "/a/y", "/Z", "/a_b", "/a0", "/a/x/deep"];
        await Store.WriteAsync(async (s, ct) =>
        {
            foreach (var name in names)
            {
                var version = Version(name, 1, "v");
                await s.Parameters.InsertVersionAsync("111122223333", "us-east-1", version, ct);
                await s.Parameters.SaveAsync(new Parameter { AccountId = "111122223333", Region = "us-east-1", Current = version }, ct);
            }

            return true;
        });

        var pages = new List<string>();
        string? after = null;
        while (true)
        {
            var page = await Store.ReadAsync((s, ct) => s.Parameters.ScanAsync("111122223333", "us-east-1", ParameterScope.All, after, 5, ct));
            pages.AddRange(page.Select(p => p.Name));
            if (page.Count < 5)
            {
                break;
            }

            after = page[^1].Name;
        }

        Assert.Equal(names.Order(StringComparer.Ordinal), pages);
        var recursive = (await Store.ReadAsync((s, ct) => s.Parameters.ScanAsync("111122223333", "us-east-1", new ParameterScope(ParameterScopeKind.Recursive, "/a"), null, 50, ct))).Select(p => p.Name);
        Assert.Equal(["/a/Y", "/a/x", "/a/x/deep", "/a/y"], recursive);
    }

    [StoreFact]
    public async Task Large_values_come_back_byte_for_byte()
    {
        var blob = new byte[2 * 1024 * 1024];
        Random.Shared.NextBytes(blob);
        var text = new string('x', 512 * 1024) + "é✓";
        await Store.WriteAsync(async (s, ct) =>
        {
            await s.Secrets.InsertValueAsync("arn:aws:secretsmanager:us-east-1:111122223333:secret:big-AbCdEf", "v1", blob, ct);
            await s.Meta.SetAsync("large", text, ct);
            return true;
        });

        Assert.Equal(blob, await Store.ReadAsync((s, ct) => s.Secrets.FindValueAsync("arn:aws:secretsmanager:us-east-1:111122223333:secret:big-AbCdEf", "v1", ct)));
        Assert.Equal(text, await Store.ReadAsync((s, ct) => s.Meta.GetAsync("large", ct)));
    }

    internal static AuditEntry Entry(string eventId) => new(
        DateTimeOffset.UtcNow,
        $$"""{"eventID":"{{eventId}}","eventName":"TestEvent"}""",
        new AuditLookupKeys("111122223333", "us-east-1", eventId, "TestEvent", "test.amazonaws.com", false, "root", null, []));

    internal static ParameterVersion Version(string name, long version, string value) => new()
    {
        Name = name,
        Version = version,
        Type = ParameterTypes.String,
        Value = value,
        Tier = ParameterTiers.Standard,
        LastModifiedDate = DateTimeOffset.UnixEpoch.AddDays(version),
        LastModifiedUser = "arn:aws:iam::111122223333:root",
    };
}
