using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.Runtime;
using Amazon.SimpleSystemsManagement.Model;
using Coffer.Server.Auth;
using Coffer.Server.Tests.Infrastructure;
using Coffer.Storage.Postgres;
using Npgsql;

namespace Coffer.Server.Tests.Storage;

/// <summary>What the nodes do when PostgreSQL goes away under them, and when a node dies mid-rotation (issue 10).</summary>
public sealed partial class ThreeNodeTests
{
    private readonly List<BackgroundProcess> _functions = [];
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(90) };

    [StoreFact]
    public async Task PostgreSQL_crashing_and_restarting_under_write_load_loses_no_acknowledged_write_and_the_nodes_recover_by_themselves()
    {
        var acknowledged = new ConcurrentBag<string>();
        var refused = new ConcurrentBag<AmazonServiceException>();
        var restarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        // Three writers, one per node, at most 400 puts each: they run until each has had five
        // acknowledged puts after the restart. No SDK retries, so each refusal is seen.
        var writers = Enumerable.Range(0, 3).Select(n => Task.Run(async () =>
        {
            var afterRestart = 0;
            for (var i = 0; i < 400 && afterRestart < 5; i++)
            {
                var name = $"/load/n{n}/p{i}";
                try
                {
                    await Ssm(n, retries: 0).PutParameterAsync(new PutParameterRequest { Name = name, Value = $"x{i}", Type = Amazon.SimpleSystemsManagement.ParameterType.SecureString });
                    acknowledged.Add(name);
                    afterRestart += restarted.Task.IsCompleted ? 1 : 0;
                }
                catch (AmazonServiceException e)
                {
                    refused.Add(e);
                    await Task.Delay(100);
                }
            }

            return afterRestart;
        })).ToList();

        await WaitUntilAsync(() => acknowledged.Count >= 15, "the writers never got going");
        await harness.Server.StopAsync("immediate");
        await WaitUntilAsync(() => !refused.IsEmpty, "no put was refused while PostgreSQL was down");
        await harness.Server.StartAsync();
        restarted.SetResult();
        var recovered = await Task.WhenAll(writers);

        Assert.Equal([5, 5, 5], recovered);
        Assert.All(refused, e => Assert.True((int)e.StatusCode is 500 or 502 or 503 or 504, $"{e.ErrorCode} ({(int)e.StatusCode}) is not a 5xx the SDKs retry"));
        foreach (var name in acknowledged)
        {
            var node = int.Parse(name[7..8], CultureInfo.InvariantCulture);
            var read = await Ssm((node + 1) % 3).GetParameterAsync(new GetParameterRequest { Name = name, WithDecryption = true });
            Assert.Equal("x" + name[(name.LastIndexOf('p') + 1)..], read.Parameter.Value);
        }
    }

    [StoreFact]
    public async Task A_scheduled_rotation_whose_node_is_killed_mid_rotation_is_retried_by_the_next_lease_holder_and_AWSCURRENT_is_never_lost()
    {
        var block = Path.Combine(_dir.FullName, "block");
        var service = Path.Combine(_dir.FullName, "svc.service");
        var events = Path.Combine(_dir.FullName, "svc.events");
        var functionArn = await StartRotationFunctionAsync(service, events, block);
        await File.WriteAllTextAsync(service, "initial");
        var arn = (await SecretsAsync(2, "CreateSecret", new JsonObject { ["Name"] = "svc", ["SecretString"] = "initial" }))["ARN"]!.GetValue<string>();
        var initial = CurrentVersion(await SecretsAsync(2, "DescribeSecret", new JsonObject { ["SecretId"] = arn }));

        // Rotation configured without rotating (only a testSecret against a copy, which is removed after).
        await SecretsAsync(2, "RotateSecret", new JsonObject
        {
            ["SecretId"] = arn,
            ["RotationLambdaARN"] = functionArn,
            ["RotationRules"] = new JsonObject { ["AutomaticallyAfterDays"] = 30 },
            ["RotateImmediately"] = false,
        });
        await WaitUntilAsync(async () => Stages(await SecretsAsync(2, "DescribeSecret", new JsonObject { ["SecretId"] = arn })).Count == 1, "the test-only rotation did not finish");

        // The rotation window opens (the nodes run on the wall clock, so the row is moved, not the
        // clock); the lease holder, node 1, starts the rotation and blocks in testSecret.
        var earlier = (await File.ReadAllLinesAsync(events)).Select(l => JsonNode.Parse(l)!["ClientRequestToken"]!.GetValue<string>()).ToHashSet();
        await File.WriteAllTextAsync(block, "");
        await OpenRotationWindowAsync(arn);
        var token = await WaitForStepAsync(events, "testSecret", earlier);
        _nodes[0].KillHard();
        File.Delete(block);

        // Another node takes the lease over and runs the rotation again with the same token. While it
        // does, AWSCURRENT is readable through the surviving nodes every time it is asked for.
        await AssertFinishedOnceBySurvivorsAsync(arn, token, initial, service, events, survivors: [1, 2]);
    }

    /// <summary>
    /// Waits for the surviving nodes to finish the rotation with <paramref name="token"/>, reading
    /// AWSCURRENT through them all the while; then one AWSCURRENT (the token's), one AWSPREVIOUS (the
    /// initial version), no AWSPENDING, and the rotation run again from its first step with its token.
    /// </summary>
    private async Task AssertFinishedOnceBySurvivorsAsync(string arn, string token, string initial, string service, string events, int[] survivors)
    {
        var finished = false;
        for (var round = 0; round < 240 && !finished; round++)
        {
            Assert.False(string.IsNullOrEmpty(await SecretStringAsync(survivors[round % survivors.Length], arn, "AWSCURRENT")), "AWSCURRENT was lost");
            var stages = Stages(await SecretsAsync(survivors[0], "DescribeSecret", new JsonObject { ["SecretId"] = arn }));
            finished = stages.TryGetValue(token, out var s) && s.SequenceEqual(["AWSCURRENT"]);
            if (!finished)
            {
                await Task.Delay(500);
            }
        }

        Assert.True(finished, "no surviving node finished the rotation");
        var final = Stages(await SecretsAsync(survivors[0], "DescribeSecret", new JsonObject { ["SecretId"] = arn }));
        Assert.Equal(["AWSCURRENT"], final[token]);
        Assert.Equal(["AWSPREVIOUS"], final[initial]);
        Assert.Single(final.Values, v => v.Contains("AWSCURRENT"));
        Assert.DoesNotContain(final.Values, v => v.Contains("AWSPENDING"));
        var current = await SecretStringAsync(2, arn, "AWSCURRENT");
        Assert.NotEqual("initial", current);
        Assert.Equal(await File.ReadAllTextAsync(service), current);
        Assert.Equal("initial", await SecretStringAsync(2, arn, "AWSPREVIOUS"));

        // The rotation that finished is the killed one, retried from its first step with its token.
        var steps = (await File.ReadAllLinesAsync(events)).Select(l => JsonNode.Parse(l)!).Where(e => e["ClientRequestToken"]!.GetValue<string>() == token)
            .Select(e => e["Step"]!.GetValue<string>()).ToList();
        Assert.Equal(["createSecret", "setSecret", "testSecret", "createSecret", "setSecret", "testSecret", "finishSecret"], steps);
    }

    private async Task<string> StartRotationFunctionAsync(string service, string events, string block)
    {
        var credentials = _root.GetCredentials();
        var env = new Dictionary<string, string>
        {
            ["AWS_ACCESS_KEY_ID"] = credentials.AccessKey,
            ["AWS_SECRET_ACCESS_KEY"] = credentials.SecretKey,
            ["AWS_DEFAULT_REGION"] = "us-east-1",
            ["AWS_CONFIG_FILE"] = "/dev/null",
            ["AWS_SHARED_CREDENTIALS_FILE"] = "/dev/null",
            ["SECRETS_MANAGER_ENDPOINT"] = _nodes[2].Endpoint, // node 3 is never killed
            ["SERVICE_FILE"] = service,
            ["EVENTS_FILE"] = events,
            ["SLEEP_STEP"] = "testSecret",
            ["SLEEP_SECONDS"] = "120",
            ["BLOCK_FILE"] = block,
        };
        var function = await BackgroundProcess.StartAsync("/usr/bin/python3", ["test/python/rotation_function.py"], env);
        _functions.Add(function);
        var port = function.FirstLine.Split(' ')[^1];
        env["COFFER_URL"] = _nodes[2].Endpoint;
        var (exit, output) = await CofferProcess.RunAsync(["functions", "register", "svc-rotator", "--url", $"http://127.0.0.1:{port}/", "--timeout", "150"], env);
        Assert.True(exit == 0, output);
        return JsonNode.Parse(output)!["FunctionArn"]!.GetValue<string>();
    }

    /// <summary>Moves the secret's next rotation window to one that is open now, as the scheduler finds it by <c>due_at</c>.</summary>
    private async Task OpenRotationWindowAsync(string arn)
    {
        await using var connection = new NpgsqlConnection(PostgresLocation.ToConnectionString(_store));
        await connection.OpenAsync();
        await using var read = new NpgsqlCommand("SELECT doc FROM secrets WHERE arn = @arn", connection);
        read.Parameters.AddWithValue("arn", arn);
        var doc = JsonNode.Parse((string)(await read.ExecuteScalarAsync())!)!;
        var start = DateTimeOffset.UtcNow.AddMinutes(-1);
        doc["NextRotation"] = new JsonObject { ["Start"] = start.ToString("O", CultureInfo.InvariantCulture), ["End"] = start.AddHours(2).ToString("O", CultureInfo.InvariantCulture) };
        await using var write = new NpgsqlCommand("UPDATE secrets SET doc = @doc, due_at = @due WHERE arn = @arn", connection);
        write.Parameters.AddWithValue("arn", arn);
        write.Parameters.AddWithValue("doc", doc.ToJsonString());
        write.Parameters.AddWithValue("due", start.ToUnixTimeMilliseconds());
        await write.ExecuteNonQueryAsync();
    }

    /// <summary>The token of the first new rotation that reaches <paramref name="step"/> (the function logs each event as it arrives).</summary>
    private static async Task<string> WaitForStepAsync(string events, string step, HashSet<string> earlier)
    {
        string? token = null;
        await WaitUntilAsync(async () =>
        {
            token = !File.Exists(events) ? null : (await File.ReadAllLinesAsync(events)).Select(l => JsonNode.Parse(l)!)
                .Where(e => e["Step"]!.GetValue<string>() == step && !earlier.Contains(e["ClientRequestToken"]!.GetValue<string>()))
                .Select(e => e["ClientRequestToken"]!.GetValue<string>()).FirstOrDefault();
            return token is not null;
        }, $"no scheduled rotation reached {step}");
        return token!;
    }

    private static string CurrentVersion(JsonNode described) => Stages(described).Single(p => p.Value.Contains("AWSCURRENT")).Key;

    private static Dictionary<string, List<string>> Stages(JsonNode described) =>
        described["VersionIdsToStages"]!.AsObject().ToDictionary(p => p.Key, p => p.Value!.AsArray().Select(s => s!.GetValue<string>()).ToList());

    private async Task<string> SecretStringAsync(int node, string arn, string stage) =>
        (await SecretsAsync(node, "GetSecretValue", new JsonObject { ["SecretId"] = arn, ["VersionStage"] = stage }))["SecretString"]!.GetValue<string>();

    /// <summary>One signed Secrets Manager call through a node (the tests have no Secrets Manager SDK).</summary>
    private async Task<JsonNode> SecretsAsync(int node, string operation, JsonObject body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_nodes[node].Endpoint + "/")) { Content = new StringContent(body.ToJsonString(), Encoding.UTF8) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/x-amz-json-1.1");
        request.Headers.TryAddWithoutValidation("X-Amz-Target", "secretsmanager." + operation);
        var credentials = _root.GetCredentials();
        await SigV4Signer.SignAsync(request, credentials.AccessKey, credentials.SecretKey, null, "us-east-1", "secretsmanager", DateTimeOffset.UtcNow);
        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{operation} through node {node + 1}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!;
    }

    /// <summary>Waits for a condition, checking every 200 ms for at most 90 seconds.</summary>
    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string failure)
    {
        for (var i = 0; i < 450; i++)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(200);
        }

        Assert.Fail(failure);
    }

    private static Task WaitUntilAsync(Func<bool> condition, string failure) => WaitUntilAsync(() => Task.FromResult(condition()), failure);
}
