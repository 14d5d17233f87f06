using System.Text.Json;
using Amazon.SimpleSystemsManagement;
using Coffer.Agent;
using Coffer.Server.Tests.Client;
using Coffer.Server.Tests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace Coffer.Server.Tests.Agent;

/// <summary>
/// A real Coffer server on loopback, with helpers to start `coffer agent`s in front of it (in
/// process, on a free loopback port) and to make changes through real clients.
/// </summary>
public sealed class AgentFixture : CofferFixture
{
    public const string Token = "agent-test-session-token";

    public AgentOptions Options(Func<AgentOptions, AgentOptions>? configure = null)
    {
        var endpoint = new Uri(Endpoint + "/");
        var options = AgentOptions.Default with
        {
            HttpPort = 0,
            Token = Token,
            Endpoints = new CofferEndpoints(endpoint, endpoint, endpoint, Region) { Kms = endpoint },
            LogLevel = LogLevel.Debug,
        };
        return configure is null ? options : configure(options);
    }

    public static AwsCredentials RootCredentials => new(AccessKeyId, SecretAccessKey, null);

    public async Task<RunningAgent> StartAgentAsync(Func<AgentOptions, AgentOptions>? configure = null, TimeProvider? time = null, LogCapture? logs = null, bool waitForEvents = true)
    {
        var options = Options(configure);
        var agent = await AgentHost.StartAsync(options, RootCredentials, b => b.AddProvider(logs ?? Logs), time);
        if (waitForEvents && options.Endpoints.Events is not null && options.SubscribeToEvents)
        {
            // Subscribing is asynchronous; a test that relies on events waits until the stream is open.
            for (var i = 0; i < 600 && !agent.Subscribed; i++)
            {
                await Task.Delay(50);
            }

            Assert.True(agent.Subscribed, "the agent did not subscribe to the change events");
        }

        return agent;
    }

    public AmazonSimpleSystemsManagementClient Ssm() => new(Credentials(), new AmazonSimpleSystemsManagementConfig
    {
        ServiceURL = Endpoint,
        AuthenticationRegion = Region,
        MaxErrorRetry = 0,
    });

    /// <summary>A Secrets Manager call as raw JSON (the SDK for Secrets Manager is not available here).</summary>
    public async Task<JsonElement> SecretsAsync(string operation, object body)
    {
        using var raw = new RawClient(this);
        var json = JsonSerializer.Serialize(body);
        var (status, type, message, response) = await raw.SendSignedAsync("secretsmanager." + operation, json, "secretsmanager");
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == 200, $"{operation}: {status} {type} {message}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>The exact bytes Coffer answers to a JSON 1.1 call, to compare the agent's answer with.</summary>
    public async Task<(int Status, byte[] Body)> DirectAsync(string target, string service, string json)
    {
        using var raw = new RawClient(this);
        var (status, _, _, response) = await raw.SendSignedAsync(target, json, service);
        return (status, await response.Content.ReadAsByteArrayAsync());
    }

    /// <summary>A key and alias, then `coffer env encrypt --function NAME` on a .env, as a user runs
    /// it: the key's id, and the AWS environment with each variable set to its ciphertext.</summary>
    public async Task<(string KeyId, Dictionary<string, string> Env)> EncryptedEnvironmentAsync(string function, string dotenv)
    {
        var alias = "alias/" + ClientKit.UniqueName("agent-env");
        var keyId = await ClientKit.CreateKeyWithAliasAsync(this, alias);
        var env = ExternalClient.AwsEnvironment(this);
        env["COFFER_URL"] = Endpoint;
        var (code, output) = await ExternalClient.RunAsync("dotnet", [Path.Combine(AppContext.BaseDirectory, "coffer.dll"), "env", "encrypt", "--key", alias, "--function", function], env, stdin: dotenv);
        Assert.True(code == 0, output);
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(l => l.Contains('=', StringComparison.Ordinal)))
        {
            env[line[..line.IndexOf('=', StringComparison.Ordinal)]] = line[(line.IndexOf('=', StringComparison.Ordinal) + 1)..];
        }

        return (keyId, env);
    }

    public static Task<bool> UntilAsync(Func<bool> condition) => UntilAsync(() => Task.FromResult(condition()));

    /// <summary>Waits for the condition, at most 30 s (a bound for a stuck test, not a timing assertion);
    /// a connection refused counts as not yet.</summary>
    public static async Task<bool> UntilAsync(Func<Task<bool>> condition)
    {
        for (var i = 0; i < 600; i++)
        {
            try
            {
                if (await condition())
                {
                    return true;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(50);
        }

        return false;
    }

    public static HttpClient Client(RunningAgent agent, string? token = Token)
    {
        var http = new HttpClient { BaseAddress = agent.BaseAddress };
        if (token is not null)
        {
            http.DefaultRequestHeaders.Add("X-Aws-Parameters-Secrets-Token", token);
        }

        return http;
    }
}
