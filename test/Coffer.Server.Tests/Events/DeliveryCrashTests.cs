using Coffer.Server.Tests.Infrastructure;

namespace Coffer.Server.Tests.Events;

/// <summary>At-least-once delivery across a crash (issue 9): an event still being retried when the
/// server is killed with SIGKILL is delivered, with the same id, after the restart.</summary>
public sealed class DeliveryCrashTests : IAsyncLifetime
{
    private readonly string _dataDir = Path.Combine(Directory.CreateTempSubdirectory("coffer-events-").FullName, "data");
    private WebhookReceiver _receiver = null!;

    public async Task InitializeAsync() => _receiver = await WebhookReceiver.StartAsync();

    public async Task DisposeAsync()
    {
        await _receiver.DisposeAsync();
        Directory.Delete(Path.GetDirectoryName(_dataDir)!, recursive: true);
    }

    [Fact]
    public async Task An_event_outstanding_at_kill_minus_9_is_delivered_after_the_restart()
    {
        var (init, initOutput) = await CofferProcess.RunAsync(["init", "--data-dir", _dataDir]);
        Assert.True(init == 0, initOutput);
        var lines = File.ReadAllLines(Path.Combine(_dataDir, "root-credentials"));
        string Value(string name) => lines.Single(l => l.StartsWith(name, StringComparison.Ordinal)).Split('=', 2)[1].Trim();

        string eventId;
        await using (var server = await CofferProcess.StartServerAsync(_dataDir))
        {
            var env = Environment(server.Endpoint, Value("aws_access_key_id"), Value("aws_secret_access_key"));
            _receiver.SigningSecret = await EventDeliveryTests.SubscribeAsync(server.Endpoint, env, _receiver.Url, async args =>
            {
                var (code, output) = await CofferProcess.RunAsync(args, env);
                Assert.True(code == 0, output);
                return output;
            });
            _receiver.FailFor("/app/prod/crash");
            var (put, putOutput) = await ExternalClient.RunAsync(ExternalClient.AwsCliV2, ["--endpoint-url", server.Endpoint, "ssm", "put-parameter", "--name", "/app/prod/crash", "--value", "v", "--type", "String"], env);
            Assert.True(put == 0, putOutput);

            // The change is committed and its delivery is being retried: kill the server now.
            await _receiver.WaitForAttemptAsync(e => WebhookReceiver.IsParameterChange(e, "/app/prod/crash"));
            eventId = _receiver.Receipts.First(r => WebhookReceiver.IsParameterChange(r.Event, "/app/prod/crash")).EventId;
            server.KillHard();
        }

        _receiver.Recover("/app/prod/crash");
        await using var restarted = await CofferProcess.StartServerAsync(_dataDir);
        var receipt = await _receiver.WaitForAsync(e => e.GetProperty("id").GetString() == eventId, TimeSpan.FromSeconds(120));
        Assert.True(receipt.SignatureValid);
        Assert.True(WebhookReceiver.IsParameterChange(receipt.Event, "/app/prod/crash"));
    }

    private static Dictionary<string, string> Environment(string endpoint, string accessKeyId, string secret) => new()
    {
        ["AWS_ACCESS_KEY_ID"] = accessKeyId,
        ["AWS_SECRET_ACCESS_KEY"] = secret,
        ["AWS_REGION"] = "us-east-1",
        ["AWS_DEFAULT_REGION"] = "us-east-1",
        ["COFFER_URL"] = endpoint,
        ["COFFER_ENDPOINT"] = endpoint,
        ["AWS_PAGER"] = "",
        ["AWS_CONFIG_FILE"] = "/dev/null",
        ["AWS_SHARED_CREDENTIALS_FILE"] = "/dev/null",
        ["AWS_MAX_ATTEMPTS"] = "1",
    };
}
