using System.Text.Json;
using Coffer.Server.Hosting;
using Coffer.Server.Tests.Infrastructure;

namespace Coffer.Server.Tests.Events;

/// <summary>A dev server whose delivery retries quickly, so a failing receiver reaches the dead-letter list soon.</summary>
public sealed class FastDeliveryFixture : CofferFixture
{
    protected override CofferServerOptions Configure(CofferServerOptions options) => options with
    {
        EventDelivery = new EventDelivery { MaxAttempts = 3, InitialBackoff = TimeSpan.FromMilliseconds(20), MaxBackoff = TimeSpan.FromMilliseconds(100), PollInterval = TimeSpan.FromMilliseconds(20) },
    };
}

/// <summary>
/// Change events, delivered (issue 9): a rule made with `aws events` posts Parameter Store changes
/// under /app/prod/ to a webhook, signed, with retries, a dead-letter list and its redrive.
/// </summary>
public sealed class EventDeliveryTests(FastDeliveryFixture fixture) : IClassFixture<FastDeliveryFixture>, IAsyncLifetime
{
    private const string ApiKey = "api-key-canary-8d1f0c";
    private WebhookReceiver _receiver = null!;

    public async Task InitializeAsync()
    {
        await fixture.ResetAsync();
        _receiver = await WebhookReceiver.StartAsync();
        _receiver.SigningSecret = await SubscribeAsync(fixture, _receiver.Url);
    }

    public async Task DisposeAsync() => await _receiver.DisposeAsync();

    [Fact]
    public async Task A_prod_change_reaches_the_webhook_signed_with_who_made_it_and_a_dev_change_does_not()
    {
        await SsmAsync(fixture, "put-parameter", "--name", "/app/dev/x", "--value", "dev", "--type", "String");
        await SsmAsync(fixture, "put-parameter", "--name", "/app/prod/x", "--value", "prod", "--type", "String");

        var receipt = await _receiver.WaitForAsync(e => WebhookReceiver.IsParameterChange(e, "/app/prod/x"));
        Assert.True(receipt.SignatureValid);
        Assert.Equal(ApiKey, receipt.ApiKey);
        Assert.Equal("aws.ssm", receipt.Event.GetProperty("source").GetString());
        Assert.Equal($"arn:aws:iam::{CofferFixture.AccountId}:root", receipt.Event.GetProperty("detail").GetProperty("userIdentity").GetProperty("arn").GetString());

        // Delivery is in outbox order: the dev change came first, so by now it was matched and skipped.
        Assert.DoesNotContain(_receiver.Receipts, r => r.Event.GetProperty("detail").TryGetProperty("name", out var n) && n.GetString() == "/app/dev/x");
        Assert.False(WebhookReceiver.Verify("some-other-secret", receipt.Signature, receipt.Body, DateTimeOffset.UtcNow));
        Assert.True(WebhookReceiver.Verify(_receiver.SigningSecret, EventDispatcher.Sign(_receiver.SigningSecret, DateTimeOffset.UtcNow.ToUnixTimeSeconds(), receipt.Body), receipt.Body, DateTimeOffset.UtcNow));
    }

    [Fact]
    public async Task A_receiver_that_fails_twice_gets_the_same_event_on_the_third_try()
    {
        _receiver.FailFor("/app/prod/retry", times: 2);
        await SsmAsync(fixture, "put-parameter", "--name", "/app/prod/retry", "--value", "v", "--type", "String");

        var receipt = await _receiver.WaitForAsync(e => WebhookReceiver.IsParameterChange(e, "/app/prod/retry"));
        var attempts = _receiver.Receipts.Where(r => r.EventId == receipt.EventId).Select(r => r.Status).ToList();
        Assert.Equal([503, 503, 200], attempts);
        Assert.Empty(await DeadLettersAsync());
    }

    [Fact]
    public async Task A_receiver_that_always_fails_ends_in_the_dead_letter_list_and_redrive_delivers_it_once_it_recovers()
    {
        _receiver.FailFor("/app/prod/dead");
        await SsmAsync(fixture, "put-parameter", "--name", "/app/prod/dead", "--value", "v", "--type", "String");
        await SsmAsync(fixture, "put-parameter", "--name", "/app/prod/after", "--value", "v", "--type", "String");

        // The next event is delivered only once the failing one is dead-lettered.
        await _receiver.WaitForAsync(e => WebhookReceiver.IsParameterChange(e, "/app/prod/after"));
        var letters = await DeadLettersAsync();
        var letter = Assert.Single(letters);
        var eventId = letter.GetProperty("EventId").GetString()!;
        Assert.Equal(3, letter.GetProperty("Attempts").GetInt32());
        Assert.All(_receiver.Receipts.Where(r => r.EventId == eventId), r => Assert.Equal(503, r.Status));

        _receiver.Recover("/app/prod/dead");
        await SecretsKitCofferAsync("events", "dead-letters", "redrive");
        var redriven = await _receiver.WaitForAsync(e => e.GetProperty("id").GetString() == eventId);
        Assert.True(redriven.SignatureValid);
        Assert.Empty(await WaitForNoDeadLettersAsync());
    }

    [Fact]
    public async Task An_OAuth_client_credentials_connection_sends_the_token_it_got_from_the_authorization_endpoint()
    {
        var connection = await EventsAsync(fixture, "create-connection", "--name", "oauth", "--authorization-type", "OAUTH_CLIENT_CREDENTIALS",
            "--auth-parameters", $$$"""{"OAuthParameters":{"ClientParameters":{"ClientID":"{{{WebhookReceiver.OAuthClient}}}","ClientSecret":"{{{WebhookReceiver.OAuthSecret}}}"},"AuthorizationEndpoint":"{{{_receiver.TokenUrl}}}","HttpMethod":"POST"}}""",
            "--query", "ConnectionArn", "--output", "text");
        var destination = await EventsAsync(fixture, "create-api-destination", "--name", "oauth", "--connection-arn", connection, "--invocation-endpoint", _receiver.Url,
            "--http-method", "POST", "--query", "ApiDestinationArn", "--output", "text");
        await EventsAsync(fixture, "put-rule", "--name", "oauth", "--event-pattern", """{"detail":{"name":[{"prefix":"/app/oauth/"}]}}""");
        await EventsAsync(fixture, "put-targets", "--rule", "oauth", "--targets", $"Id=oauth,Arn={destination}");
        using var secret = JsonDocument.Parse(await SecretsKitCofferAsync("events", "signing-secret", "oauth"));

        await SsmAsync(fixture, "put-parameter", "--name", "/app/oauth/x", "--value", "v", "--type", "String");
        var receipt = await _receiver.WaitForAsync(e => WebhookReceiver.IsParameterChange(e, "/app/oauth/x"));
        Assert.Equal("Bearer " + WebhookReceiver.OAuthToken, receipt.Authorization);
        // Each destination signs with its own secret.
        Assert.False(receipt.SignatureValid);
        Assert.True(WebhookReceiver.Verify(secret.RootElement.GetProperty("SigningSecret").GetString()!, receipt.Signature, receipt.Body, DateTimeOffset.UtcNow));
    }

    /// <summary>Makes the rule, connection, destination and target through AWS CLI v2; returns the signing secret.</summary>
    internal static async Task<string> SubscribeAsync(CofferFixture fixture, string url, string? pattern = null) =>
        await SubscribeAsync(fixture.Endpoint, ExternalClient.AwsEnvironment(fixture), url, args => Secrets.SecretsKit.CofferAsync(fixture, args), pattern);

    internal static async Task<string> SubscribeAsync(string endpoint, Dictionary<string, string> env, string url, Func<string[], Task<string>> coffer, string? pattern = null)
    {
        async Task<string> Events(params string[] args)
        {
            var (code, output) = await ExternalClient.RunAsync(ExternalClient.AwsCliV2, ["--endpoint-url", endpoint, "events", .. args], env);
            Assert.True(code == 0, $"aws events {string.Join(' ', args)} failed:\n{output}");
            return output.Trim();
        }

        await Events("put-rule", "--name", "prod-changes", "--event-pattern", pattern ?? """{"source":["aws.ssm"],"detail":{"name":[{"prefix":"/app/prod/"}]}}""");
        var connection = await Events("create-connection", "--name", "hook", "--authorization-type", "API_KEY",
            "--auth-parameters", $$$"""{"ApiKeyAuthParameters":{"ApiKeyName":"X-Api-Key","ApiKeyValue":"{{{ApiKey}}}"}}""", "--query", "ConnectionArn", "--output", "text");
        var destination = await Events("create-api-destination", "--name", "hook", "--connection-arn", connection, "--invocation-endpoint", url,
            "--http-method", "POST", "--invocation-rate-limit-per-second", "100", "--query", "ApiDestinationArn", "--output", "text");
        Assert.Contains("\"FailedEntryCount\": 0", await Events("put-targets", "--rule", "prod-changes", "--targets", $"Id=hook,Arn={destination}"), StringComparison.Ordinal);
        using var secret = JsonDocument.Parse(await coffer(["events", "signing-secret", "hook"]));
        return secret.RootElement.GetProperty("SigningSecret").GetString()!;
    }

    private static async Task<string> EventsAsync(CofferFixture fixture, params string[] args)
    {
        var (code, output) = await ExternalClient.RunAsync(ExternalClient.AwsCliV2, ["--endpoint-url", fixture.Endpoint, "events", .. args], ExternalClient.AwsEnvironment(fixture));
        Assert.True(code == 0, $"aws events {string.Join(' ', args)} failed:\n{output}");
        return output.Trim();
    }

    private static async Task SsmAsync(CofferFixture fixture, params string[] args)
    {
        var (code, output) = await ExternalClient.RunAsync(ExternalClient.AwsCliV2, ["--endpoint-url", fixture.Endpoint, "ssm", .. args], ExternalClient.AwsEnvironment(fixture));
        Assert.True(code == 0, output);
    }

    private Task<string> SecretsKitCofferAsync(params string[] args) => Secrets.SecretsKit.CofferAsync(fixture, args);

    private async Task<List<JsonElement>> DeadLettersAsync()
    {
        using var doc = JsonDocument.Parse(await SecretsKitCofferAsync("events", "dead-letters", "list"));
        return [.. doc.RootElement.GetProperty("DeadLetters").EnumerateArray().Select(e => e.Clone())];
    }

    private async Task<List<JsonElement>> WaitForNoDeadLettersAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        var letters = await DeadLettersAsync();
        while (letters.Count > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
            letters = await DeadLettersAsync();
        }

        return letters;
    }
}
