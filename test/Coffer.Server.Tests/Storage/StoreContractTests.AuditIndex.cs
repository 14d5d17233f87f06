using System.Diagnostics;
using Coffer.Core.Audit;

namespace Coffer.Server.Tests.Storage;

/// <summary>LookupEvents' index behind the chain, by block (issue 11): a record is found by its
/// attributes and resources from the moment it is appended, before and after the writer indexes it.</summary>
public abstract partial class StoreContractTests
{
    private const string ParameterArn = "arn:aws:ssm:us-east-1:111122223333:parameter/app/prod/db/password";

    [StoreFact]
    public async Task A_record_is_found_by_its_resource_before_it_is_indexed_and_after_issue_11()
    {
        var byName = Lookup(LookupAttributeKey.ResourceName, "/app/prod/db/password", 50);
        var found = await Store.WriteAsync(async (s, ct) =>
        {
            await s.Audit.AppendAsync(ResourceEntry("read-1", ParameterArn), ct);
            await s.Audit.AppendAsync(ResourceEntry("other", "arn:aws:ssm:us-east-1:111122223333:parameter/app/dev/db/password"), ct);
            await s.Audit.AppendAsync(ResourceEntry("read-2", ParameterArn), ct);

            // Inside the appending transaction nothing has been indexed yet: the lookup reads the records.
            Assert.True(await s.Audit.IndexedThroughAsync(ct) < 3);
            return await s.Audit.LookupAsync(byName, ct);
        });
        Assert.Equal(["read-2", "read-1"], found.Select(EventId));

        await Store.WriteAsync((s, ct) => s.Audit.IndexRecordsAsync(AuditLookupIndex.BatchSize, ct));
        var (indexed, through, head) = await Store.ReadAsync(async (s, ct) => (await s.Audit.LookupAsync(byName, ct), await s.Audit.IndexedThroughAsync(ct), (await s.Audit.ReadAfterAsync(0, 100, ct)).Count));
        Assert.Equal(head, through);
        Assert.Equal(found.Select(r => r.Sequence), indexed.Select(r => r.Sequence));
        Assert.Equal(["read-2", "read-1"], (await LookupAsync(Lookup(LookupAttributeKey.ResourceName, "app/prod/db/password", 50))).Select(EventId));
        Assert.Equal(3, (await LookupAsync(Lookup(LookupAttributeKey.ResourceType, "AWS::SSM::Parameter", 50))).Count);
    }

    [StoreFact]
    public async Task A_page_by_resource_merges_indexed_and_unindexed_records_newest_first_issue_11()
    {
        var page = await Store.WriteAsync(async (s, ct) =>
        {
            for (var i = 0; i < 3; i++)
            {
                await s.Audit.AppendAsync(ResourceEntry($"old-{i}", ParameterArn), ct);
            }

            await s.Audit.IndexRecordsAsync(AuditLookupIndex.BatchSize, ct);
            for (var i = 0; i < 3; i++)
            {
                await s.Audit.AppendAsync(ResourceEntry($"new-{i}", ParameterArn), ct);
            }

            var first = await s.Audit.LookupAsync(Lookup(LookupAttributeKey.ResourceName, ParameterArn, 4), ct);
            var rest = await s.Audit.LookupAsync(Lookup(LookupAttributeKey.ResourceName, ParameterArn, 4) with { After = first[^1].Position }, ct);
            return first.Concat(rest).ToList();
        });

        Assert.Equal(["new-2", "new-1", "new-0", "old-2", "old-1", "old-0"], page.Select(EventId));
    }

    [StoreFact]
    public async Task The_writer_indexes_resources_behind_the_chain_on_its_own_issue_11()
    {
        await Store.WriteAsync(async (s, ct) =>
        {
            for (var i = 0; i < 20; i++)
            {
                await s.Audit.AppendAsync(ResourceEntry($"e-{i}", ParameterArn), ct);
            }

            return true;
        });

        // Bounded wait: fewer than a batch of records wait, and no write comes, so the idle writer
        // indexes them once they have waited AuditIndexer.IdleDelay.
        var waited = Stopwatch.StartNew();
        while (await IndexedThroughAsync() < 20 && waited.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(20);
        }

        Assert.Equal(20, await IndexedThroughAsync());
        Assert.Equal(20, (await LookupAsync(Lookup(LookupAttributeKey.ResourceName, "/app/prod/db/password", 50))).Count);
    }

    [StoreFact]
    public async Task Every_attribute_finds_exactly_its_records_newest_first_across_blocks_pages_and_batches_issue_11()
    {
        // Three blocks of records and a few more, indexed in batches that end inside blocks (so rows
        // are merged with what an earlier batch wrote), then ten more left unindexed.
        const int Indexed = (2 * AuditLookupIndex.BlockSize) + 300;
        var start = DateTimeOffset.UtcNow.AddHours(-1);
        await Store.WriteAsync(async (s, ct) =>
        {
            for (var i = 1; i <= Indexed; i++)
            {
                await s.Audit.AppendAsync(Varied(i, start), ct);
            }

            return true;
        });
        await Store.WriteAsync(async (s, ct) =>
        {
            while (await s.Audit.IndexRecordsAsync(200, ct) > 0)
            {
            }

            for (var i = Indexed + 1; i <= Indexed + 10; i++)
            {
                await s.Audit.AppendAsync(Varied(i, start), ct);
            }

            return true;
        });

        var all = Enumerable.Range(1, Indexed + 10).ToList();
        var cases = new (LookupAttributeKey Key, string Value, Func<int, bool> Has)[]
        {
            (LookupAttributeKey.Username, "alice", i => i % 3 == 0),
            (LookupAttributeKey.EventName, "PutParameter", i => i % 2 == 1),
            (LookupAttributeKey.ReadOnly, "true", i => i % 2 == 0),
            (LookupAttributeKey.ReadOnly, "false", i => i % 2 == 1),
            (LookupAttributeKey.AccessKeyId, "AKIAEXAMPLE00000003", i => i % 4 == 3),
            (LookupAttributeKey.EventSource, "ssm.amazonaws.com", _ => true),
            (LookupAttributeKey.ResourceName, "/app/prod/p4", i => i % 5 == 4),
            (LookupAttributeKey.ResourceName, $"arn:aws:ssm:us-east-1:111122223333:parameter/app/prod/p1", i => i % 5 == 1),
            (LookupAttributeKey.ResourceType, "AWS::KMS::Key", i => i % 7 == 0),
            (LookupAttributeKey.Username, "nobody", _ => false),
        };
        foreach (var (key, value, has) in cases)
        {
            var expected = all.Where(has).OrderDescending().Select(i => $"e-{i}").ToList();
            Assert.Equal(expected, await PagesAsync(Lookup(key, value, 50)));
        }

        // A time range: only the records inside it, by their own times, still newest first.
        var range = Lookup(LookupAttributeKey.Username, "bob", 50) with { Start = start.AddMilliseconds(400), End = start.AddMilliseconds(900) };
        Assert.Equal(all.Where(i => i % 3 != 0 && i >= 400 && i <= 900).OrderDescending().Select(i => $"e-{i}"), await PagesAsync(range));

        // Retention: after the oldest 600 records go, their bits find nothing and the rest is unchanged.
        await Store.WriteAsync((s, ct) => s.Audit.DeleteThroughAsync(600, 10_000, ct));
        Assert.Equal(all.Where(i => i > 600 && i % 3 == 0).OrderDescending().Select(i => $"e-{i}"), await PagesAsync(Lookup(LookupAttributeKey.Username, "alice", 50)));
    }

    /// <summary>Every page of a lookup, each asked for after the last record of the one before.</summary>
    private async Task<List<string>> PagesAsync(AuditLookup lookup)
    {
        var ids = new List<string>();
        for (var page = await LookupAsync(lookup); page.Count > 0; page = await LookupAsync(lookup with { After = page[^1].Position }))
        {
            Assert.True(page.Count <= lookup.Limit);
            ids.AddRange(page.Select(EventId));
        }

        return ids;
    }

    private ValueTask<IReadOnlyList<FoundAuditRecord>> LookupAsync(AuditLookup lookup) =>
        Store.ReadAsync((s, ct) => s.Audit.LookupAsync(lookup, ct));

    private ValueTask<long> IndexedThroughAsync() =>
        Store.ReadAsync((s, ct) => s.Audit.IndexedThroughAsync(ct));

    /// <summary>A complete record whose attributes vary with <paramref name="i"/>, at start + i ms.</summary>
    private static AuditEntry Varied(int i, DateTimeOffset start)
    {
        var user = i % 3 == 0 ? "alice" : "bob";
        var resources = new List<AuditResource> { new($"arn:aws:ssm:us-east-1:111122223333:parameter/app/prod/p{i % 5}", "AWS::SSM::Parameter") };
        if (i % 7 == 0)
        {
            resources.Add(new AuditResource("arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab", "AWS::KMS::Key"));
        }

        return AuditEntry.From(new AuditRecord
        {
            UserIdentity = new AuditIdentity("IAMUser", "AIDA" + user, $"arn:aws:iam::111122223333:user/{user}", "111122223333", $"AKIAEXAMPLE0000000{i % 4}", user),
            EventTime = start.AddMilliseconds(i),
            EventSource = "ssm.amazonaws.com",
            EventName = i % 2 == 0 ? "GetParameter" : "PutParameter",
            AwsRegion = "us-east-1",
            RequestId = $"r-{i}",
            EventId = $"e-{i}",
            ReadOnly = i % 2 == 0,
            Resources = resources,
            RecipientAccountId = "111122223333",
        });
    }

    private static AuditLookup Lookup(LookupAttributeKey key, string value, int limit) =>
        new("111122223333", "us-east-1", key, value, null, null, limit, null);

    private static string EventId(FoundAuditRecord r) =>
        System.Text.Json.JsonDocument.Parse(r.Json).RootElement.GetProperty("eventID").GetString()!;

    private static AuditEntry ResourceEntry(string eventId, string arn) => new(
        DateTimeOffset.UtcNow,
        $$"""{"eventID":"{{eventId}}","eventName":"GetParameter","resources":[{"ARN":"{{arn}}","type":"AWS::SSM::Parameter"}]}""",
        new AuditLookupKeys("111122223333", "us-east-1", eventId, "GetParameter", "ssm.amazonaws.com", true, "root", null, [new AuditResource(arn, "AWS::SSM::Parameter")]));
}
