using System.Text;
using System.Text.Json;
using Amazon.KeyManagementService;
using Amazon.KeyManagementService.Model;
using Coffer.Core.Audit;
using Coffer.Server.Tests.Infrastructure;

namespace Coffer.Server.Tests.Security;

/// <summary>Every call, allowed or refused, becomes one CloudTrail-shaped record in a keyed chain.</summary>
public sealed class AuditTests(CofferFixture fixture) : IClassFixture<CofferFixture>
{
    [Fact]
    public async Task Successes_and_failures_are_recorded_in_a_verifiable_chain()
    {
        using var kms = fixture.Kms();
        var key = (await kms.CreateKeyAsync(new CreateKeyRequest { Description = "audited" })).KeyMetadata;
        var blob = (await kms.EncryptAsync(new EncryptRequest { KeyId = key.KeyId, Plaintext = new MemoryStream(Encoding.UTF8.GetBytes("audited secret")), EncryptionContext = new() { ["app"] = "a" } })).CiphertextBlob;
        await Assert.ThrowsAsync<InvalidCiphertextException>(() => kms.DecryptAsync(new DecryptRequest { CiphertextBlob = blob }));

        var records = await fixture.Server.Services.Store.ReadAsync((s, ct) => s.Audit.ReadAfterAsync(0, 100_000, ct));
        Assert.True(AuditChain.Verify(records, fixture.Server.Services.AuditChain.Keys, 1, null).IsIntact);
        var parsed = records.Select(r => JsonDocument.Parse(r.Json).RootElement).ToList();

        var create = parsed.Last(r => r.GetProperty("eventName").GetString() == "CreateKey");
        Assert.False(create.GetProperty("readOnly").GetBoolean());
        Assert.Equal("kms.amazonaws.com", create.GetProperty("eventSource").GetString());
        Assert.Equal(key.Arn, create.GetProperty("resources")[0].GetProperty("ARN").GetString());
        Assert.Equal($"arn:aws:iam::{CofferFixture.AccountId}:root", create.GetProperty("userIdentity").GetProperty("arn").GetString());

        var encrypt = parsed.Last(r => r.GetProperty("eventName").GetString() == "Encrypt");
        Assert.True(encrypt.GetProperty("readOnly").GetBoolean());
        Assert.Equal("a", encrypt.GetProperty("requestParameters").GetProperty("encryptionContext").GetProperty("app").GetString());
        Assert.False(encrypt.GetProperty("requestParameters").TryGetProperty("plaintext", out _));

        var failed = parsed.Last(r => r.GetProperty("eventName").GetString() == "Decrypt");
        Assert.Equal("InvalidCiphertextException", failed.GetProperty("errorCode").GetString());
        Assert.DoesNotContain(records, r => r.Json.Contains("audited secret", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_change_announces_itself_as_an_event_in_the_same_transaction()
    {
        using var kms = fixture.Kms();
        var key = (await kms.CreateKeyAsync(new CreateKeyRequest())).KeyMetadata;
        await kms.DisableKeyAsync(new DisableKeyRequest { KeyId = key.KeyId });

        var events = await fixture.Server.Services.Store.ReadAsync((s, ct) => s.Events.ReadAfterAsync(0, 100_000, ct));
        var disabled = events.Last(e => e.Event.Detail["eventName"]!.GetValue<string>() == "DisableKey");
        Assert.Equal("aws.kms", disabled.Event.Source);
        Assert.Equal("AWS API Call via CloudTrail", disabled.Event.DetailType);
        Assert.Contains(key.Arn, disabled.Event.Resources);
    }
}
