using System.Globalization;
using Coffer.Core.Audit;
using Coffer.Core.Crypto;
using Coffer.Core.Storage;
using Coffer.Storage.Sql;

namespace Coffer.Server.Tests.Storage;

/// <summary>The audit append reuses its statement and its parameters (issue 11: only the values are
/// set for each record) and binds the record as the UTF-8 bytes it MACs: every column of every record
/// reads back as that record's, whether it shares a batch with the one before or not.</summary>
public abstract partial class StoreContractTests
{
    private const string EveryColumn =
        "SELECT seq, event_time, record, prev_hash, hash, account_id, region, event_id, event_name, event_source, read_only, username, access_key_id " +
        "FROM audit_log ORDER BY seq";

    [StoreFact]
    public async Task Records_appended_in_one_batch_and_across_batches_read_back_column_by_column_and_verify_issue_11()
    {
        var start = DateTimeOffset.UnixEpoch.AddDays(20_000);
        var entries = new[]
        {
            Column(1, start, "111122223333", "us-east-1", readOnly: true, "alice", "AKIAEXAMPLE00000001"),
            Column(2, start, "444455556666", "eu-west-1", readOnly: false, null, null),
            Column(3, start, "777788889999", "ap-south-1", readOnly: true, "carol", null),
            Column(4, start, "111122223333", "sa-east-1", readOnly: false, null, "AKIAEXAMPLE00000004"),
            Column(5, start, "222233334444", "us-west-2", readOnly: true, "erin", "AKIAEXAMPLE00000005"),
        };

        // Two appends in one unit of work, two records of calls that changed nothing sent together
        // (group commit: one batch, two jobs), then one in a batch of its own.
        await Store.WriteAsync(async (s, ct) =>
        {
            await s.Audit.AppendAsync(entries[0], ct);
            await s.Audit.AppendAsync(entries[1], ct);
        });
        await Task.WhenAll(Store.AppendRecordAsync(entries[2]), Store.AppendRecordAsync(entries[3]));
        await Store.WriteAsync((s, ct) => s.Audit.AppendAsync(entries[4], ct));

        var rows = await Store.ReadAsync(async (s, ct) =>
        {
            using var reader = ((SqlSession)s).Command(EveryColumn).ExecuteReader();
            var list = new List<object?[]>();
            while (reader.Read())
            {
                var row = new object?[reader.FieldCount];
                for (var i = 0; i < row.Length; i++)
                {
                    row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
                }

                list.Add(row);
            }

            return list;
        });

        Assert.Equal(entries.Length, rows.Count);
        var previous = AuditChain.Genesis;
        for (var i = 0; i < entries.Length; i++)
        {
            var (row, entry, keys) = (rows[i], entries[i], entries[i].Lookup);
            Assert.Equal(i + 1L, Convert.ToInt64(row[0], CultureInfo.InvariantCulture));
            Assert.Equal(entry.EventTime.ToUnixTimeMilliseconds(), Convert.ToInt64(row[1], CultureInfo.InvariantCulture));

            // Stored as text, the very text of the record, whatever its script.
            Assert.Equal(entry.Json, Assert.IsType<string>(row[2]));
            Assert.Equal(previous, Assert.IsType<byte[]>(row[3]));
            previous = Assert.IsType<byte[]>(row[4]);
            Assert.Equal(
                new object?[] { keys.AccountId, keys.Region, keys.EventId, keys.EventName, keys.EventSource, keys.ReadOnly ? 1L : 0L, keys.Username, keys.AccessKeyId },
                new object?[] { row[5], row[6], row[7], row[8], row[9], Convert.ToInt64(row[10], CultureInfo.InvariantCulture), row[11], row[12] });
        }

        var records = await Store.ReadAsync((s, ct) => s.Audit.ReadAfterAsync(0, 100, ct));
        Assert.Equal(entries.Select(e => e.Json), records.Select(r => r.Json));
        using var chainKeys = AuditKeys.Derive(_root);
        var verification = AuditChain.Verify(records, chainKeys, 1, null);
        Assert.True(verification.IsIntact);
        Assert.Equal(entries.Length, verification.Records);

        // Each is found by its own columns, not by those of the record bound before it.
        foreach (var entry in entries)
        {
            var found = await Store.ReadAsync((s, ct) => s.Audit.LookupAsync(new AuditLookup(entry.Lookup.AccountId, entry.Lookup.Region, LookupAttributeKey.EventId, entry.Lookup.EventId, null, null, 10, null), ct));
            Assert.Equal(entry.Json, Assert.Single(found).Json);
        }
    }

    [StoreFact]
    public async Task A_record_the_writer_stored_as_a_string_before_verifies_and_reads_with_those_appended_after_it_issue_11()
    {
        var installation = await Harness.NewInstallationAsync();
        using var root = RootKey.Generate();
        using var keys = AuditKeys.Derive(root);
        var json = """{"eventID":"before-1","eventName":"GetParameter","eventSource":"ssm.amazonaws.com","requestParameters":{"name":"/café/✓"}}""";
        var hash = keys.Link(1, AuditChain.Genesis, json);
        await Harness.MakeAtVersionAsync(installation, 16, $"""
            INSERT INTO audit_log (seq, event_time, record, prev_hash, hash, account_id, region, event_id, event_name, event_source, read_only, username, access_key_id)
                VALUES (1, 1735787045000, '{json}', {Harness.Bytes(AuditChain.Genesis)}, {Harness.Bytes(hash)}, '111122223333', 'us-east-1', 'before-1', 'GetParameter', 'ssm.amazonaws.com', 1, 'root', NULL);
            """);
        await using var store = Harness.Open(installation, TestChain.Open(root));

        var after = new[] { Column(2, DateTimeOffset.UtcNow, "111122223333", "us-east-1", readOnly: true, "bob", null), Column(3, DateTimeOffset.UtcNow, "111122223333", "us-east-1", readOnly: false, null, "AKIAEXAMPLE00000003") };
        await store.WriteAsync((s, ct) => s.Audit.AppendAsync(after[0], ct));
        await store.AppendRecordAsync(after[1]);

        var records = await store.ReadAsync((s, ct) => s.Audit.ReadAfterAsync(0, 10, ct));
        Assert.Equal([json, after[0].Json, after[1].Json], records.Select(r => r.Json));
        Assert.Equal(hash, records[1].PreviousHash);
        Assert.True(AuditChain.Verify(records, keys, 1, null).IsIntact);
    }

    /// <summary>A record whose columns differ from the others', its JSON with characters of one, two,
    /// three and four UTF-8 bytes: odd ones from JSON text, even ones serialized from a record.</summary>
    private static AuditEntry Column(int i, DateTimeOffset start, string account, string region, bool readOnly, string? username, string? accessKeyId)
    {
        var eventId = $"e-{i}-{Guid.NewGuid():N}";
        var name = $"Op{i}";
        var source = $"service{i}.amazonaws.com";
        var time = start.AddMinutes(i);
        return i % 2 == 1
            ? new AuditEntry(
                time,
                $$"""{"eventID":"{{eventId}}","eventName":"{{name}}","note":"record {{i}}: café ✓ 𝄞"}""",
                new AuditLookupKeys(account, region, eventId, name, source, readOnly, username, accessKeyId, []))
            : AuditEntry.From(new AuditRecord
            {
                UserIdentity = new AuditIdentity("IAMUser", "AIDA" + i, $"arn:aws:iam::{account}:user/{username}", account, accessKeyId, username),
                EventTime = time,
                EventSource = source,
                EventName = name,
                AwsRegion = region,
                RequestParameters = new System.Text.Json.Nodes.JsonObject { ["name"] = $"/café/{i}/𝄞" },
                RequestId = $"r-{i}",
                EventId = eventId,
                ReadOnly = readOnly,
                RecipientAccountId = account,
            });
    }
}
