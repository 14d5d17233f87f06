using Coffer.Core.Crypto;
using Coffer.Core.Identity;
using Coffer.Core.Storage;
using static Coffer.Server.Tests.Storage.StoredDocumentTests;

namespace Coffer.Server.Tests.Storage;

/// <summary>Documents as Coffer wrote them before they were versioned, read through the store (issue 10).</summary>
public abstract partial class StoreContractTests
{
    private const string RuleArn = "arn:aws:events:us-east-1:111122223333:rule/changes";

    private static readonly string AtVersion12 = $"""
        INSERT INTO kms_keys (key_id, account_id, region, due_at, doc) VALUES ('1234abcd-12ab-34cd-56ef-1234567890ab', '111122223333', 'us-east-1', NULL, '{LegacyKmsKey.Trim()}');
        INSERT INTO kms_grants (grant_id, key_id, account_id, region, retiring_principal, created_at, doc) VALUES ('g-1', '1234abcd-12ab-34cd-56ef-1234567890ab', '111122223333', 'us-east-1', NULL, 0, '{LegacyKmsGrant.Trim()}');
        INSERT INTO secrets (arn, account_id, region, name, due_at, doc) VALUES ('{DocumentSamples.Secret.Arn}', '111122223333', 'us-east-1', 'db/password', NULL, '{LegacySecret.Trim()}');
        INSERT INTO functions (account_id, region, name, doc) VALUES ('111122223333', 'us-east-1', 'rotate', '{LegacyFunction.Trim()}');
        INSERT INTO iam_entities (account_id, kind, name_key, id, path, doc) VALUES ('111122223333', 'Role', 'app', 'AROAEXAMPLE', '/service/', '{LegacyIamRole.Trim()}');
        INSERT INTO iam_policies (arn, account_id, name_key, path, doc) VALUES ('{DocumentSamples.ManagedPolicy.Arn}', '111122223333', 'readorders', '/', '{LegacyManagedPolicy.Trim()}');
        INSERT INTO event_rules (account, region, name, enabled, doc) VALUES ('111122223333', 'us-east-1', 'changes', 0, '{LegacyEventRule.Trim()}');
        INSERT INTO event_targets (rule_arn, id, doc) VALUES ('{RuleArn}', 't-1', '{LegacyRuleTarget.Trim()}');
        INSERT INTO event_connections (account, region, name, doc) VALUES ('111122223333', 'us-east-1', 'hook', '{LegacyEventConnection.Trim()}');
        INSERT INTO event_api_destinations (account, region, name, doc) VALUES ('111122223333', 'us-east-1', 'hook', '{LegacyApiDestination.Trim()}');
        """;

    [StoreFact]
    public async Task Documents_written_before_they_were_versioned_read_through_the_store_and_write_back()
    {
        var installation = await Harness.NewInstallationAsync();
        await Harness.MakeAtVersionAsync(installation, 12, AtVersion12);
        using var root = RootKey.Generate();
        await using var store = Harness.Open(installation, TestChain.Open(root));

        await AssertAllReadAsync(store);
        await store.WriteAsync(async (s, ct) =>
        {
            await s.Kms.UpdateKeyAsync(DocumentSamples.KmsKey, ct);
            await s.Kms.DeleteGrantAsync("g-1", ct);
            await s.Kms.InsertGrantAsync(DocumentSamples.KmsGrant, ct);
            await s.Secrets.UpdateAsync(DocumentSamples.Secret, ct);
            await s.Functions.UpsertAsync(DocumentSamples.Function, ct);
            await s.Iam.UpdateAsync(DocumentSamples.IamRole, ct);
            await s.Iam.UpdatePolicyAsync(DocumentSamples.ManagedPolicy, ct);
            await s.Rules.UpsertRuleAsync(DocumentSamples.EventRule, ct);
            await s.Rules.PutTargetAsync(RuleArn, DocumentSamples.RuleTarget, ct);
            await s.Rules.UpsertConnectionAsync(DocumentSamples.EventConnection, ct);
            await s.Rules.UpsertDestinationAsync(DocumentSamples.ApiDestination, ct);
            return true;
        });
        await AssertAllReadAsync(store);
    }

    private static async Task AssertAllReadAsync(ICofferStore store)
    {
        const string account = "111122223333", region = "us-east-1";
        var key = DocumentSamples.KmsKey;
        Assert.Equivalent(key, await store.ReadAsync((s, ct) => s.Kms.FindKeyAsync(key.KeyId, region, ct)), strict: true);
        Assert.Equivalent(new[] { DocumentSamples.KmsGrant }, await store.ReadAsync((s, ct) => s.Kms.ListGrantsAsync(key.KeyId, ct)), strict: true);
        Assert.Equivalent(DocumentSamples.Secret, await store.ReadAsync((s, ct) => s.Secrets.FindAsync(DocumentSamples.Secret.Arn, ct)), strict: true);
        Assert.Equivalent(DocumentSamples.Function, await store.ReadAsync((s, ct) => s.Functions.FindAsync(account, region, "rotate", ct)), strict: true);
        Assert.Equivalent(DocumentSamples.IamRole, await store.ReadAsync((s, ct) => s.Iam.FindAsync(account, IamEntityKind.Role, "App", ct)), strict: true);
        Assert.Equivalent(DocumentSamples.ManagedPolicy, await store.ReadAsync((s, ct) => s.Iam.FindPolicyAsync(DocumentSamples.ManagedPolicy.Arn, ct)), strict: true);
        Assert.Equivalent(DocumentSamples.EventRule, await store.ReadAsync((s, ct) => s.Rules.FindRuleAsync(account, region, "changes", ct)), strict: true);
        Assert.Equivalent(new[] { DocumentSamples.RuleTarget }, await store.ReadAsync((s, ct) => s.Rules.TargetsAsync(RuleArn, ct)), strict: true);
        Assert.Equivalent(DocumentSamples.EventConnection, await store.ReadAsync((s, ct) => s.Rules.FindConnectionAsync(account, region, "hook", ct)), strict: true);
        Assert.Equivalent(DocumentSamples.ApiDestination, await store.ReadAsync((s, ct) => s.Rules.FindDestinationAsync(account, region, "hook", ct)), strict: true);
    }
}
