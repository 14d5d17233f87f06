using Coffer.Core.Audit;
using Coffer.Storage.Sql;
using Coffer.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace Coffer.Server.Tests.Security;

/// <summary>Issue 9: LookupEvents is answered from indexes, so one resource's day does not scan the log.</summary>
public sealed class AuditLookupPlanTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("coffer-lookup-").FullName;

    public static TheoryData<LookupAttributeKey?> Keys => [null, .. Enum.GetValues<LookupAttributeKey>().Cast<LookupAttributeKey?>()];

    [Theory]
    [MemberData(nameof(Keys))]
    public async Task Every_lookup_attribute_is_answered_from_an_index_newest_first(LookupAttributeKey? key)
    {
        await SqliteStore.OpenFile(_dir).DisposeAsync();
        var day = DateTimeOffset.UtcNow;
        var lookup = new AuditLookup("111122223333", "us-east-1", key, key is null ? null : "x", day.AddDays(-1), day, 51, new AuditPosition(1, 1));

        using var db = new SqliteConnection($"Data Source={Path.Combine(_dir, "coffer.db")};Pooling=False");
        db.Open();
        using var explain = db.CreateCommand();
        // An attribute other than EventId is found through the block index (issue 11), EventId and time alone through audit_log's own indexes.
        explain.CommandText = "EXPLAIN QUERY PLAN " + (key is { } k && AuditLookupIndex.KindOf(k) is not null ? AuditLookupQuery.BlocksSql(lookup) : AuditLookupQuery.Sql(lookup));
        foreach (var name in new[] { "$acct", "$region", "$limit", "$start", "$end", "$at", "$as", "$k", "$v", "$below", "$n" })
        {
            if (explain.CommandText.Contains(name, StringComparison.Ordinal))
            {
                explain.Parameters.AddWithValue(name, "x");
            }
        }

        var plan = new List<string>();
        using (var reader = explain.ExecuteReader())
        {
            while (reader.Read())
            {
                plan.Add(reader.GetString(3));
            }
        }

        var text = string.Join(" | ", plan);
        Assert.All(plan, step => Assert.True(step.StartsWith("SEARCH", StringComparison.Ordinal) || step.Contains("USING INDEX audit_log_time", StringComparison.Ordinal), text));
        if (key is { } indexed && AuditLookupIndex.KindOf(indexed) is not null)
        {
            Assert.Contains("audit_index USING PRIMARY KEY", text, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("TEMP B-TREE", text, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
