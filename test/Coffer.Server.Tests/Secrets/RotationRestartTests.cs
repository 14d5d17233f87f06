using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Coffer.Server.Auth;
using Coffer.Server.Hosting;
using Coffer.Server.Tests.Infrastructure;

namespace Coffer.Server.Tests.Secrets;

/// <summary>
/// One node on SQLite (issue 10): a rotation RotateSecret started is claimed by the process that
/// runs it; when that process is killed mid-rotation, the restarted server adopts the rotation once
/// the dead process's heartbeat is older than the bound, and finishes it with the same token, rather
/// than leaving AWSPENDING until the next rotation window days later.
/// </summary>
public sealed class RotationRestartTests : IAsyncLifetime
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("coffer-rotation-restart-");
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(90) };
    private BackgroundProcess? _function;
    private CofferProcess? _server;
    private string _accessKeyId = "";
    private string _secret = "";

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_function is not null)
        {
            await _function.DisposeAsync();
        }

        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _http.Dispose();
        _dir.Delete(recursive: true);
    }

    [Fact]
    public async Task A_rotation_left_in_flight_by_a_killed_server_is_finished_by_the_restarted_one_with_its_token()
    {
        var data = Path.Combine(_dir.FullName, "data");
        var (init, output) = await CofferProcess.RunAsync(["init", "--data-dir", data]);
        Assert.True(init == 0, output);
        var lines = File.ReadAllLines(Path.Combine(data, DataDirectory.CredentialsFileName));
        _accessKeyId = Value(lines, "aws_access_key_id");
        _secret = Value(lines, "aws_secret_access_key");
        _server = await CofferProcess.StartServerAsync(data, null, "--schedule-interval", "1");

        var endpoint = Path.Combine(_dir.FullName, "endpoint");
        var block = Path.Combine(_dir.FullName, "block");
        var service = Path.Combine(_dir.FullName, "svc.service");
        var events = Path.Combine(_dir.FullName, "svc.events");
        await File.WriteAllTextAsync(endpoint, _server.Endpoint);
        await File.WriteAllTextAsync(service, "initial");
        await File.WriteAllTextAsync(block, "");
        var functionArn = await StartFunctionAsync(endpoint, service, events, block);
        var arn = (await CallAsync("CreateSecret", new JsonObject { ["Name"] = "svc", ["SecretString"] = "initial" }))["ARN"]!.GetValue<string>();
        var token = Guid.NewGuid().ToString();
        await CallAsync("RotateSecret", new JsonObject
        {
            ["SecretId"] = arn,
            ["ClientRequestToken"] = token,
            ["RotationLambdaARN"] = functionArn,
            ["RotationRules"] = new JsonObject { ["AutomaticallyAfterDays"] = 30 },
        });
        await WaitUntilAsync(() => Steps(events, token).Contains("testSecret"), "the rotation never reached testSecret");

        _server.KillHard();
        await _server.DisposeAsync();
        File.Delete(block);
        _server = await CofferProcess.StartServerAsync(data, null, "--schedule-interval", "1");
        await File.WriteAllTextAsync(endpoint, _server.Endpoint);

        var finished = false;
        for (var round = 0; round < 240 && !finished; round++)
        {
            Assert.False(string.IsNullOrEmpty(await CurrentAsync(arn)), "AWSCURRENT was lost");
            finished = Stages(await CallAsync("DescribeSecret", new JsonObject { ["SecretId"] = arn })).TryGetValue(token, out var stages) && stages.SequenceEqual(["AWSCURRENT"]);
            if (!finished)
            {
                await Task.Delay(500);
            }
        }

        Assert.True(finished, "the restarted server did not finish the rotation:\n" + _server.Output);
        var final = Stages(await CallAsync("DescribeSecret", new JsonObject { ["SecretId"] = arn }));
        Assert.Single(final.Values, v => v.Contains("AWSCURRENT"));
        Assert.Single(final.Values, v => v.Contains("AWSPREVIOUS"));
        Assert.DoesNotContain(final.Values, v => v.Contains("AWSPENDING"));
        Assert.Equal(await File.ReadAllTextAsync(service), await CurrentAsync(arn));
        Assert.NotEqual("initial", await CurrentAsync(arn));
        Assert.Equal("initial", await CurrentAsync(arn, "AWSPREVIOUS"));
        Assert.Equal(["createSecret", "setSecret", "testSecret", "createSecret", "setSecret", "testSecret", "finishSecret"], Steps(events, token));
    }

    private async Task<string> StartFunctionAsync(string endpoint, string service, string events, string block)
    {
        var env = new Dictionary<string, string>
        {
            ["AWS_ACCESS_KEY_ID"] = _accessKeyId,
            ["AWS_SECRET_ACCESS_KEY"] = _secret,
            ["AWS_DEFAULT_REGION"] = "us-east-1",
            ["AWS_CONFIG_FILE"] = "/dev/null",
            ["AWS_SHARED_CREDENTIALS_FILE"] = "/dev/null",
            ["ENDPOINT_FILE"] = endpoint,
            ["SERVICE_FILE"] = service,
            ["EVENTS_FILE"] = events,
            ["SLEEP_STEP"] = "testSecret",
            ["SLEEP_SECONDS"] = "120",
            ["BLOCK_FILE"] = block,
        };
        _function = await BackgroundProcess.StartAsync("/usr/bin/python3", ["test/python/rotation_function.py"], env);
        var port = _function.FirstLine.Split(' ')[^1];
        env["COFFER_URL"] = _server!.Endpoint;
        var (exit, output) = await CofferProcess.RunAsync(["functions", "register", "svc-rotator", "--url", $"http://127.0.0.1:{port}/", "--timeout", "150"], env);
        Assert.True(exit == 0, output);
        return JsonNode.Parse(output)!["FunctionArn"]!.GetValue<string>();
    }

    private async Task<string> CurrentAsync(string arn, string stage = "AWSCURRENT") =>
        (await CallAsync("GetSecretValue", new JsonObject { ["SecretId"] = arn, ["VersionStage"] = stage }))["SecretString"]!.GetValue<string>();

    /// <summary>One signed Secrets Manager call (the tests have no Secrets Manager SDK).</summary>
    private async Task<JsonNode> CallAsync(string operation, JsonObject body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_server!.Endpoint + "/")) { Content = new StringContent(body.ToJsonString(), Encoding.UTF8) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/x-amz-json-1.1");
        request.Headers.TryAddWithoutValidation("X-Amz-Target", "secretsmanager." + operation);
        await SigV4Signer.SignAsync(request, _accessKeyId, _secret, null, "us-east-1", "secretsmanager", DateTimeOffset.UtcNow);
        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{operation}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!;
    }

    private static List<string> Steps(string events, string token) =>
        !File.Exists(events) ? [] : [.. File.ReadAllLines(events).Select(l => JsonNode.Parse(l)!).Where(e => e["ClientRequestToken"]!.GetValue<string>() == token).Select(e => e["Step"]!.GetValue<string>())];

    private static Dictionary<string, List<string>> Stages(JsonNode described) =>
        described["VersionIdsToStages"]!.AsObject().ToDictionary(p => p.Key, p => p.Value!.AsArray().Select(s => s!.GetValue<string>()).ToList());

    private static string Value(string[] lines, string key) =>
        lines.First(l => l.StartsWith(key + " = ", StringComparison.Ordinal))[(key.Length + 3)..];

    private static async Task WaitUntilAsync(Func<bool> condition, string failure)
    {
        for (var i = 0; i < 450 && !condition(); i++)
        {
            await Task.Delay(200);
        }

        Assert.True(condition(), failure);
    }
}
