using System.Text.Json;
using Coffer.Server.Tests.Identity;
using Coffer.Server.Tests.Infrastructure;

namespace Coffer.Server.Tests.Events;

/// <summary>EventBridge's API through AWS CLI v2 (issue 9): AWS's errors for bad input, IAM on
/// rules, and a connection's secret kept out of answers, logs, the audit trail and the outbox.</summary>
public sealed class EventBridgeApiTests(FastDeliveryFixture fixture) : IClassFixture<FastDeliveryFixture>
{
    private const string Canary = "connection-secret-canary-51c7";

    [Fact]
    public async Task An_invalid_pattern_is_InvalidEventPatternException_and_makes_no_rule()
    {
        var error = await EventsFailsAsync(fixture.AccessKey(), "put-rule", "--name", "bad", "--event-pattern", """{"source":"aws.ssm"}""");
        Assert.Contains("InvalidEventPatternException", error, StringComparison.Ordinal);
        Assert.Contains("ResourceNotFoundException", await EventsFailsAsync(fixture.AccessKey(), "describe-rule", "--name", "bad"), StringComparison.Ordinal);
        Assert.Contains("ResourceNotFoundException", await EventsFailsAsync(fixture.AccessKey(), "put-targets", "--rule", "missing", "--targets", "Id=1,Arn=arn:aws:events:us-east-1:111122223333:api-destination/x/y"), StringComparison.Ordinal);
        Assert.Contains("ResourceNotFoundException", await EventsFailsAsync(fixture.AccessKey(), "describe-rule", "--name", "x", "--event-bus-name", "other"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Test_event_pattern_answers_as_the_pattern_matches()
    {
        const string e = """{"id":"1","source":"aws.ssm","detail-type":"Parameter Store Change","account":"111122223333","time":"2026-01-01T00:00:00Z","region":"us-east-1","resources":[],"detail":{"name":"/app/prod/db"}}""";
        using var yes = JsonDocument.Parse(await EventsAsync(fixture.AccessKey(), "test-event-pattern", "--event-pattern", """{"detail":{"name":[{"prefix":"/app/prod/"}]}}""", "--event", e));
        using var no = JsonDocument.Parse(await EventsAsync(fixture.AccessKey(), "test-event-pattern", "--event-pattern", """{"detail":{"name":[{"prefix":"/app/dev/"}]}}""", "--event", e));
        Assert.True(yes.RootElement.GetProperty("Result").GetBoolean());
        Assert.False(no.RootElement.GetProperty("Result").GetBoolean());
    }

    [Fact]
    public async Task Rules_are_authorized_by_IAM_on_the_rule_arn()
    {
        var iam = new IamClient(fixture);
        var (key, secret) = await iam.CreateUserAsync("rule-reader", IamClient.Allow("\"events:PutRule\"", $"arn:aws:events:us-east-1:{CofferFixture.AccountId}:rule/team-*"));
        var user = (key, secret);
        await EventsAsync(user, "put-rule", "--name", "team-a", "--event-pattern", """{"source":["aws.kms"]}""");
        Assert.Contains("AccessDeniedException", await EventsFailsAsync(user, "put-rule", "--name", "other", "--event-pattern", """{"source":["aws.kms"]}"""), StringComparison.Ordinal);
        Assert.Contains("AccessDeniedException", await EventsFailsAsync(user, "delete-rule", "--name", "team-a"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_connection_secret_never_appears_in_answers_logs_audit_or_events()
    {
        await EventsAsync(fixture.AccessKey(), "create-connection", "--name", "canary", "--authorization-type", "BASIC",
            "--auth-parameters", $$$"""{"BasicAuthParameters":{"Username":"svc","Password":"{{{Canary}}}"}}""");
        var described = await EventsAsync(fixture.AccessKey(), "describe-connection", "--name", "canary");
        Assert.Contains("\"Username\": \"svc\"", described, StringComparison.Ordinal);
        Assert.DoesNotContain(Canary, described, StringComparison.Ordinal);
        Assert.Contains("ResourceAlreadyExistsException", await EventsFailsAsync(fixture.AccessKey(), "create-connection", "--name", "canary", "--authorization-type", "BASIC",
            "--auth-parameters", """{"BasicAuthParameters":{"Username":"svc","Password":"x"}}"""), StringComparison.Ordinal);

        Assert.DoesNotContain(fixture.Logs.Lines, l => l.Contains(Canary, StringComparison.Ordinal));
        Assert.DoesNotContain((await Secrets.SecretsKit.AuditRecordsAsync(fixture)), r => r.GetRawText().Contains(Canary, StringComparison.Ordinal));
        Assert.DoesNotContain((await Secrets.SecretsKit.EventTextsAsync(fixture)), t => t.Contains(Canary, StringComparison.Ordinal));
        var stored = (await fixture.Server.Services.Store.ReadAsync((s, ct) => s.Rules.FindConnectionAsync(CofferFixture.AccountId, CofferFixture.Region, "canary", ct)))!;
        Assert.DoesNotContain(Canary, System.Text.Encoding.UTF8.GetString(stored.EncryptedSecret), StringComparison.Ordinal);
    }

    private async Task<string> EventsAsync((string Key, string Secret) who, params string[] args)
    {
        var (code, output) = await ExternalClient.RunAsync(ExternalClient.AwsCliV2, ["--endpoint-url", fixture.Endpoint, "events", .. args], ExternalClient.AwsEnvironment(fixture, who.Key, who.Secret));
        Assert.True(code == 0, $"aws events {string.Join(' ', args)} failed:\n{output}");
        return output.Trim();
    }

    private async Task<string> EventsFailsAsync((string Key, string Secret) who, params string[] args)
    {
        var (code, output) = await ExternalClient.RunAsync(ExternalClient.AwsCliV2, ["--endpoint-url", fixture.Endpoint, "events", .. args], ExternalClient.AwsEnvironment(fixture, who.Key, who.Secret));
        Assert.True(code != 0, $"aws events {string.Join(' ', args)} should have failed:\n{output}");
        return output;
    }
}

internal static class FixtureKeys
{
    public static (string Key, string Secret) AccessKey(this CofferFixture _) => (CofferFixture.AccessKeyId, CofferFixture.SecretAccessKey);
}
