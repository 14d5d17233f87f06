using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Coffer.Server.Tests.Infrastructure;

namespace Coffer.Server.Tests.Secrets;

/// <summary>
/// Rotation through an HTTP rotation function: AWS's template, ported to a small boto3 HTTP
/// handler (test/python/rotation_function.py), registered with <c>coffer functions register</c>
/// and driven by <c>aws secretsmanager rotate-secret</c>.
/// </summary>
public sealed class HttpRotationTests(CofferFixture fixture) : IClassFixture<CofferFixture>, IAsyncLifetime
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("coffer-rotation-");
    private readonly List<BackgroundProcess> _functions = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var function in _functions)
        {
            await function.DisposeAsync();
        }

        _dir.Delete(recursive: true);
    }

    [Fact]
    public async Task A_rotation_function_written_for_AWS_rotates_the_secret_over_HTTP()
    {
        var (functionArn, service, events) = await StartFunctionAsync("template-ok", timeoutSeconds: 30);
        var arn = await CreateSecretAsync("svc-ok", service);

        var version = await SecretsKit.AwsAsync(fixture, "rotate-secret", "--secret-id", "svc-ok", "--rotation-lambda-arn", functionArn,
            "--rotation-rules", "AutomaticallyAfterDays=30", "--query", "VersionId", "--output", "text");
        await fixture.Server.Services.Secrets.WhenIdleAsync();

        var current = await SecretsKit.SecretStringAsync(fixture, "svc-ok");
        Assert.NotEqual("initial", current);
        Assert.Equal(await File.ReadAllTextAsync(service), current);
        Assert.Equal("initial", await SecretsKit.SecretStringAsync(fixture, "svc-ok", "AWSPREVIOUS"));
        using var described = JsonDocument.Parse(await SecretsKit.AwsAsync(fixture, "describe-secret", "--secret-id", "svc-ok"));
        var stages = described.RootElement.GetProperty("VersionIdsToStages");
        Assert.Equal(["AWSCURRENT"], stages.GetProperty(version).EnumerateArray().Select(s => s.GetString()));
        Assert.True(described.RootElement.TryGetProperty("LastRotatedDate", out _));
        Assert.True(described.RootElement.TryGetProperty("NextRotationDate", out _));

        // The function got exactly the event a Lambda gets, step by step, with no secret in it.
        var received = (await File.ReadAllLinesAsync(events)).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(["createSecret", "setSecret", "testSecret", "finishSecret"], received.Select(e => e.GetProperty("Step").GetString()));
        Assert.All(received, e =>
        {
            Assert.Equal(["SecretId", "ClientRequestToken", "Step"], e.EnumerateObject().Select(p => p.Name));
            Assert.Equal(arn, e.GetProperty("SecretId").GetString());
            Assert.Equal(version, e.GetProperty("ClientRequestToken").GetString());
        });
        Assert.DoesNotContain(current, await File.ReadAllTextAsync(events), StringComparison.Ordinal);
        Assert.Equal(["RotationStarted", "RotationStep", "RotationStep", "RotationStep", "RotationStep", "RotationSucceeded"],
            (await SecretsKit.RotationRecordsAsync(fixture, arn)).Select(r => r.GetProperty("eventName").GetString()));
    }

    [Theory]
    [InlineData("error", "setSecret failed: The function answered HTTP 500: ValueError: setSecret failed on purpose")]
    [InlineData("timeout", "createSecret failed: The function template-timeout did not finish the createSecret step within its timeout of 1 seconds")]
    [InlineData("unreachable", "createSecret failed: The function at http://127.0.0.1:")]
    public async Task A_failed_step_leaves_AWSCURRENT_untouched_keeps_the_pending_version_and_says_why(string failure, string reason)
    {
        var (functionArn, service, _) = failure switch
        {
            "error" => await StartFunctionAsync("template-error", 30, ("FAIL_STEP", "setSecret")),
            "timeout" => await StartFunctionAsync("template-timeout", 1, ("SLEEP_STEP", "createSecret"), ("SLEEP_SECONDS", "3")),
            _ => await RegisterUnreachableAsync("template-unreachable"),
        };
        var name = "svc-" + failure;
        var arn = await CreateSecretAsync(name, service);

        var token = await SecretsKit.AwsAsync(fixture, "rotate-secret", "--secret-id", name, "--rotation-lambda-arn", functionArn, "--query", "VersionId", "--output", "text");
        await fixture.Server.Services.Secrets.WhenIdleAsync();

        Assert.Equal("initial", await SecretsKit.SecretStringAsync(fixture, name));
        var secret = (await fixture.Server.Services.Store.ReadAsync((s, ct) => s.Secrets.FindAsync(arn, ct)))!;
        Assert.Equal(token, secret.PendingRotation?.VersionId);
        var failed = Assert.Single((await SecretsKit.RotationRecordsAsync(fixture, arn)), r => r.GetProperty("eventName").GetString() == "RotationFailed");
        Assert.StartsWith(reason, failed.GetProperty("errorMessage").GetString(), StringComparison.Ordinal);
        await SecretsKit.AwsFailsAsync(fixture, "InvalidRequestException", "rotate-secret", "--secret-id", name);

        // Cancelling turns rotation off and names the unfinished version, as AWS does.
        Assert.Equal(token, await SecretsKit.AwsAsync(fixture, "cancel-rotate-secret", "--secret-id", name, "--query", "VersionId", "--output", "text"));
        Assert.Equal("False", await SecretsKit.AwsAsync(fixture, "describe-secret", "--secret-id", name, "--query", "RotationEnabled", "--output", "text"));
    }

    [Fact]
    public async Task Without_RotateImmediately_only_testSecret_runs_against_a_copy_that_is_then_removed()
    {
        var (functionArn, service, events) = await StartFunctionAsync("template-test-only", timeoutSeconds: 30);
        var arn = await CreateSecretAsync("svc-test-only", service);

        await SecretsKit.AwsAsync(fixture, "rotate-secret", "--secret-id", "svc-test-only", "--rotation-lambda-arn", functionArn,
            "--rotation-rules", "{\"ScheduleExpression\": \"rate(10 days)\"}", "--no-rotate-immediately");
        await fixture.Server.Services.Secrets.WhenIdleAsync();

        var received = (await File.ReadAllLinesAsync(events)).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(["testSecret"], received.Select(e => e.GetProperty("Step").GetString()));
        var secret = (await fixture.Server.Services.Store.ReadAsync((s, ct) => s.Secrets.FindAsync(arn, ct)))!;
        Assert.Single(secret.Versions);
        Assert.Null(await fixture.Server.Services.Store.ReadAsync((s, ct) => s.Secrets.FindValueAsync(arn, received[0].GetProperty("ClientRequestToken").GetString()!, ct)));
        Assert.Equal("initial", await SecretsKit.SecretStringAsync(fixture, "svc-test-only"));
        Assert.Equal("RotationSucceeded", (await SecretsKit.RotationRecordsAsync(fixture, arn))[^1].GetProperty("eventName").GetString());
        Assert.Equal(10, secret.NextRotation!.Start.Subtract(fixture.Server.Services.Time.GetUtcNow().UtcDateTime.Date).Days);
    }

    private async Task<string> CreateSecretAsync(string name, string serviceFile)
    {
        await File.WriteAllTextAsync(serviceFile, "initial");
        return await SecretsKit.AwsAsync(fixture, "create-secret", "--name", name, "--secret-string", "initial", "--query", "ARN", "--output", "text");
    }

    private async Task<(string Arn, string ServiceFile, string EventsFile)> StartFunctionAsync(string name, int timeoutSeconds, params (string Key, string Value)[] settings)
    {
        var service = Path.Combine(_dir.FullName, name + ".service");
        var events = Path.Combine(_dir.FullName, name + ".events");
        var env = ExternalClient.AwsEnvironment(fixture);
        env["SECRETS_MANAGER_ENDPOINT"] = fixture.Endpoint;
        env["SERVICE_FILE"] = service;
        env["EVENTS_FILE"] = events;
        foreach (var (k, v) in settings)
        {
            env[k] = v;
        }

        var function = await BackgroundProcess.StartAsync("/usr/bin/python3", ["test/python/rotation_function.py"], env);
        _functions.Add(function);
        var port = function.FirstLine.Split(' ')[^1];
        return (await RegisterAsync(name, $"http://127.0.0.1:{port}/", timeoutSeconds), service, events);
    }

    private async Task<(string Arn, string ServiceFile, string EventsFile)> RegisterUnreachableAsync(string name)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var closedPort = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return (await RegisterAsync(name, $"http://127.0.0.1:{closedPort}/", 5), Path.Combine(_dir.FullName, name + ".service"), "");
    }

    private async Task<string> RegisterAsync(string name, string url, int timeoutSeconds)
    {
        using var registered = JsonDocument.Parse(await SecretsKit.CofferAsync(fixture, "functions", "register", name, "--url", url, "--timeout", timeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        return registered.RootElement.GetProperty("FunctionArn").GetString()!;
    }
}
