using System.Text.Json;
using Coffer.Server.Tests.Infrastructure;

namespace Coffer.Server.Tests.Events;

/// <summary>
/// Events for every change, in AWS's shapes (issue 9): Secrets Manager's "Secret Label Updated",
/// and "AWS API Call via CloudTrail" with the caller's CloudTrail record for KMS key state and
/// alias changes and IAM policy changes, delivered by a rule through an API destination.
/// </summary>
public sealed class ServiceEventTests(FastDeliveryFixture fixture) : IClassFixture<FastDeliveryFixture>, IAsyncLifetime
{
    private WebhookReceiver _receiver = null!;

    public async Task InitializeAsync()
    {
        await fixture.ResetAsync();
        _receiver = await WebhookReceiver.StartAsync();
        _receiver.SigningSecret = await EventDeliveryTests.SubscribeAsync(fixture, _receiver.Url, """{"source":["aws.secretsmanager","aws.kms","aws.iam"]}""");
    }

    public async Task DisposeAsync() => await _receiver.DisposeAsync();

    [Fact]
    public async Task A_new_secret_version_announces_its_AWSCURRENT_label_as_Secrets_Manager_does()
    {
        await AwsAsync("secretsmanager", "create-secret", "--name", "svc/label", "--secret-string", "first");
        var version = await AwsAsync("secretsmanager", "put-secret-value", "--secret-id", "svc/label", "--secret-string", "second", "--query", "VersionId", "--output", "text");

        var receipt = await _receiver.WaitForAsync(e => Detail(e, "versionId") == version);
        Assert.Equal("Secret Label Updated", receipt.Event.GetProperty("detail-type").GetString());
        Assert.Equal("aws.secretsmanager", receipt.Event.GetProperty("source").GetString());
        Assert.Equal("svc/label", Detail(receipt.Event, "name"));
        Assert.Equal("AWSCURRENT", Detail(receipt.Event, "labelUpdated"));
        Assert.DoesNotContain("second", System.Text.Encoding.UTF8.GetString(receipt.Body), StringComparison.Ordinal);
        var call = await _receiver.WaitForAsync(e => Detail(e, "eventName") == "PutSecretValue");
        Assert.Equal("AWS API Call via CloudTrail", call.Event.GetProperty("detail-type").GetString());
    }

    [Fact]
    public async Task Key_state_alias_and_IAM_policy_changes_arrive_as_API_calls_with_who_made_them()
    {
        var keyId = await AwsAsync("kms", "create-key", "--query", "KeyMetadata.KeyId", "--output", "text");
        await AwsAsync("kms", "disable-key", "--key-id", keyId);
        await AwsAsync("kms", "create-alias", "--alias-name", "alias/events-test", "--target-key-id", keyId);
        await AwsAsync("iam", "create-user", "--user-name", "event-user");
        await AwsAsync("iam", "put-user-policy", "--user-name", "event-user", "--policy-name", "p",
            "--policy-document", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"kms:Decrypt","Resource":"*"}]}""");

        foreach (var (source, name) in new[] { ("aws.kms", "DisableKey"), ("aws.kms", "CreateAlias"), ("aws.iam", "PutUserPolicy") })
        {
            var receipt = await _receiver.WaitForAsync(e => Detail(e, "eventName") == name);
            Assert.True(receipt.SignatureValid);
            Assert.Equal("AWS API Call via CloudTrail", receipt.Event.GetProperty("detail-type").GetString());
            Assert.Equal(source, receipt.Event.GetProperty("source").GetString());
            var detail = receipt.Event.GetProperty("detail");
            Assert.Equal("Root", detail.GetProperty("userIdentity").GetProperty("type").GetString());
            Assert.Equal(CofferFixture.AccessKeyId, detail.GetProperty("userIdentity").GetProperty("accessKeyId").GetString());
            Assert.False(detail.GetProperty("readOnly").GetBoolean());
            Assert.Equal("Management", detail.GetProperty("eventCategory").GetString());
        }
    }

    private static string? Detail(JsonElement e, string name) =>
        e.GetProperty("detail").TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private async Task<string> AwsAsync(params string[] args)
    {
        var (code, output) = await ExternalClient.RunAsync(ExternalClient.AwsCliV2, ["--endpoint-url", fixture.Endpoint, .. args], ExternalClient.AwsEnvironment(fixture));
        Assert.True(code == 0, $"aws {string.Join(' ', args)} failed:\n{output}");
        return output.Trim();
    }
}
