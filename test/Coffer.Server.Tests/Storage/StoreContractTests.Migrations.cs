using Coffer.Core.Audit;
using Coffer.Core.Crypto;

namespace Coffer.Server.Tests.Storage;

/// <summary>Records written by an older schema, read after the migrations (issue 10).</summary>
public abstract partial class StoreContractTests
{
    /// <summary>An audit record and a parameter as schema version 5 kept them: no lookup columns yet.
    /// The JSON names here are the persisted shape: renaming a C# property must not change them.</summary>
    private const string AtVersion5 = """
        INSERT INTO meta (key, value) VALUES ('old.setting', 'kept');
        INSERT INTO ssm_parameters (account_id, region, name, parent_path, version, due_at, tags)
            VALUES ('111122223333', 'us-east-1', '/old/db/url', '/old/db', 1, NULL, '[{"Key":"team","Value":"core"}]');
        INSERT INTO ssm_parameter_versions (account_id, region, name, version, value, wrapped_value, doc)
            VALUES ('111122223333', 'us-east-1', '/old/db/url', 1, 'postgres://db', NULL,
                    '{"Type":"String","Description":"old one","Tier":"Standard","DataType":"text","Policies":[],"LastModifiedDate":"2025-01-02T03:04:05+00:00","LastModifiedUser":"arn:aws:iam::111122223333:root"}');
        """;

    [StoreFact]
    public async Task Records_written_by_an_older_schema_read_after_the_migrations()
    {
        var installation = await Harness.NewInstallationAsync();
        var json = """{"eventID":"old-1","eventName":"OldEvent","eventSource":"ssm.amazonaws.com","awsRegion":"us-east-1","recipientAccountId":"111122223333","readOnly":true,"userIdentity":{"type":"Root","principalId":"111122223333"},"resources":[{"ARN":"arn:aws:ssm:us-east-1:111122223333:parameter/old/db/url","type":"AWS::SSM::Parameter"}]}""";
        var hash = AuditChain.UnkeyedLink(AuditChain.Genesis, json);
        await Harness.MakeAtVersionAsync(installation, 5, AtVersion5 + $"""
            INSERT INTO audit_log (seq, event_time, record, prev_hash, hash) VALUES (1, 1735787045000, '{json}', {Harness.Bytes(AuditChain.Genesis)}, {Harness.Bytes(hash)});
            """);

        using var root = RootKey.Generate();
        await using var store = Harness.Open(installation, TestChain.Open(root));

        Assert.Equal("kept", await store.ReadAsync((s, ct) => s.Meta.GetAsync("old.setting", ct)));
        var parameter = (await store.ReadAsync((s, ct) => s.Parameters.FindAsync("111122223333", "us-east-1", "/old/db/url", ct)))!;
        Assert.Equal(("postgres://db", "old one", "Standard", "core"), (parameter.Current.Value, parameter.Current.Description, parameter.Current.Tier, parameter.Tags[0].Value));
        Assert.Equal(DateTimeOffset.Parse("2025-01-02T03:04:05+00:00", System.Globalization.CultureInfo.InvariantCulture), parameter.Current.LastModifiedDate);
        var byName = await store.ReadAsync((s, ct) => s.Audit.LookupAsync(new AuditLookup("111122223333", "us-east-1", LookupAttributeKey.EventName, "OldEvent", null, null, 10, null), ct));
        var byResource = await store.ReadAsync((s, ct) => s.Audit.LookupAsync(new AuditLookup("111122223333", "us-east-1", LookupAttributeKey.ResourceName, "arn:aws:ssm:us-east-1:111122223333:parameter/old/db/url", null, null, 10, null), ct));
        var byUser = await store.ReadAsync((s, ct) => s.Audit.LookupAsync(new AuditLookup("111122223333", "us-east-1", LookupAttributeKey.Username, "root", null, null, 10, null), ct));
        Assert.Equal([1L], byName.Select(r => r.Sequence));
        Assert.Equal([1L], byResource.Select(r => r.Sequence));
        Assert.Equal([1L], byUser.Select(r => r.Sequence));
        Assert.Equal("1", await store.ReadAsync((s, ct) => s.Meta.GetAsync(AuditChainKeeper.KeyedFromKey, ct)));
    }

    [StoreFact]
    public async Task Parameters_written_before_their_tier_was_a_column_are_counted_in_their_tier()
    {
        // Issue 11: the quota check counts ssm_parameters.tier (migration 0016), filled from each
        // parameter's current version.
        var installation = await Harness.NewInstallationAsync();
        const string version = """{"Type":"String","Tier":"TIER","DataType":"text","Policies":[],"LastModifiedDate":"2025-01-02T03:04:05+00:00","LastModifiedUser":"arn:aws:iam::111122223333:root"}""";
        await Harness.MakeAtVersionAsync(installation, 13, $"""
            INSERT INTO ssm_parameters (account_id, region, name, parent_path, version, due_at, tags)
                VALUES ('111122223333', 'us-east-1', '/big', '/', 2, NULL, '[]'), ('111122223333', 'us-east-1', '/small', '/', 1, NULL, '[]');
            INSERT INTO ssm_parameter_versions (account_id, region, name, version, value, wrapped_value, doc) VALUES
                ('111122223333', 'us-east-1', '/big', 1, 'a', NULL, '{version.Replace("TIER", "Standard", StringComparison.Ordinal)}'),
                ('111122223333', 'us-east-1', '/big', 2, 'b', NULL, '{version.Replace("TIER", "Advanced", StringComparison.Ordinal)}'),
                ('111122223333', 'us-east-1', '/small', 1, 'c', NULL, '{version.Replace("TIER", "Standard", StringComparison.Ordinal)}');
            """);

        using var root = RootKey.Generate();
        await using var store = Harness.Open(installation, TestChain.Open(root));
        ValueTask<(long Standard, long Advanced)> CountsAsync() => store.ReadAsync(async (s, ct) => (
            await s.Parameters.CountInTierAsync("111122223333", "us-east-1", "Standard", ct), await s.Parameters.CountInTierAsync("111122223333", "us-east-1", "Advanced", ct)));

        Assert.Equal((1L, 1L), await CountsAsync());
        var small = (await store.ReadAsync((s, ct) => s.Parameters.FindAsync("111122223333", "us-east-1", "/small", ct)))!;
        var advanced = small.Current with { Version = 2, Tier = "Advanced" };
        await store.WriteAsync(async (s, ct) =>
        {
            await s.Parameters.InsertVersionAsync("111122223333", "us-east-1", advanced, ct);
            await s.Parameters.SaveAsync(small with { Current = advanced }, ct);
            return true;
        });
        Assert.Equal((0L, 2L), await CountsAsync());

        // The counts follow every later change (migration 0017's triggers): an overwrite in the same
        // tier, a delete, a new parameter, and a wipe.
        var again = advanced with { Version = 3 };
        await store.WriteAsync(async (s, ct) =>
        {
            await s.Parameters.InsertVersionAsync("111122223333", "us-east-1", again, ct);
            await s.Parameters.SaveAsync(small with { Current = again }, ct);
            await s.Parameters.DeleteAsync("111122223333", "us-east-1", "/big", ct);
            await s.Parameters.SaveAsync(small with { Current = small.Current with { Name = "/new" } }, ct);
            await s.Parameters.SaveAsync(small with { AccountId = "444455556666", Current = small.Current }, ct);
            return true;
        });
        Assert.Equal((1L, 1L), await CountsAsync());
        await store.WipeAsync();
        Assert.Equal((0L, 0L), await CountsAsync());
    }
}
