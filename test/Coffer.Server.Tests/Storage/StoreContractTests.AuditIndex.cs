using System.Diagnostics;
using Coffer.Core.Audit;

namespace Coffer.Server.Tests.Storage;

/// <summary>LookupEvents' resource index behind the chain (issue 11): a record is found by its
/// resources from the moment it is appended, before and after the writer indexes it.</summary>
public abstract partial class StoreContractTests
{
    private const string ParameterArn = "arn:aws:ssm:us-east-1:111122223333:parameter/app/prod/db/password";

    [StoreFact]
    public async Task A_record_is_found_by_its_resource_before_it_is_indexed_and_after_issue_11()
    {
        var byName = Lookup(LookupAttributeKey.ResourceName, "/app/prod/db/password", 50);
        var found = await Store.WriteAsync(s =>
        {
            s.Audit.Append(ResourceEntry("read-1", ParameterArn));
            s.Audit.Append(ResourceEntry("other", "arn:aws:ssm:us-east-1:111122223333:parameter/app/dev/db/password"));
            s.Audit.Append(ResourceEntry("read-2", ParameterArn));

            // Inside the appending transaction nothing has been indexed yet: the lookup reads the records.
            Assert.True(s.Audit.ResourcesIndexedThrough() < 3);
            return s.Audit.Lookup(byName);
        });
        Assert.Equal(["read-2", "read-1"], found.Select(EventId));

        await Store.WriteAsync(s => s.Audit.IndexResources(AuditResourceIndex.BatchSize));
        var (indexed, through, head) = Store.Read(s => (s.Audit.Lookup(byName), s.Audit.ResourcesIndexedThrough(), s.Audit.ReadAfter(0, 100).Count));
        Assert.Equal(head, through);
        Assert.Equal(found.Select(r => r.Sequence), indexed.Select(r => r.Sequence));
        Assert.Equal(["read-2", "read-1"], Store.Read(s => s.Audit.Lookup(Lookup(LookupAttributeKey.ResourceName, "app/prod/db/password", 50))).Select(EventId));
        Assert.Equal(3, Store.Read(s => s.Audit.Lookup(Lookup(LookupAttributeKey.ResourceType, "AWS::SSM::Parameter", 50))).Count);
    }

    [StoreFact]
    public async Task A_page_by_resource_merges_indexed_and_unindexed_records_newest_first_issue_11()
    {
        var page = await Store.WriteAsync(s =>
        {
            for (var i = 0; i < 3; i++)
            {
                s.Audit.Append(ResourceEntry($"old-{i}", ParameterArn));
            }

            s.Audit.IndexResources(AuditResourceIndex.BatchSize);
            for (var i = 0; i < 3; i++)
            {
                s.Audit.Append(ResourceEntry($"new-{i}", ParameterArn));
            }

            var first = s.Audit.Lookup(Lookup(LookupAttributeKey.ResourceName, ParameterArn, 4));
            var rest = s.Audit.Lookup(Lookup(LookupAttributeKey.ResourceName, ParameterArn, 4) with { After = first[^1].Position });
            return first.Concat(rest).ToList();
        });

        Assert.Equal(["new-2", "new-1", "new-0", "old-2", "old-1", "old-0"], page.Select(EventId));
    }

    [StoreFact]
    public async Task The_writer_indexes_resources_behind_the_chain_on_its_own_issue_11()
    {
        await Store.WriteAsync(s =>
        {
            for (var i = 0; i < 20; i++)
            {
                s.Audit.Append(ResourceEntry($"e-{i}", ParameterArn));
            }

            return true;
        });

        // Bounded wait: the writer is idle after the write, so it indexes.
        var waited = Stopwatch.StartNew();
        while (Store.Read(s => s.Audit.ResourcesIndexedThrough()) < 20 && waited.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(20);
        }

        Assert.Equal(20, Store.Read(s => s.Audit.ResourcesIndexedThrough()));
        Assert.Equal(20, Store.Read(s => s.Audit.Lookup(Lookup(LookupAttributeKey.ResourceName, "/app/prod/db/password", 50))).Count);
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
