using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Coffer.Server.Tests.Infrastructure;
using Coffer.Server.Tests.Secrets;

namespace Coffer.Server.Tests.Agent;

/// <summary>Issue 12: `coffer agent`, run as a process of its own, decrypts the variables made by
/// `coffer env encrypt` that COFFER_AGENT_ENCRYPTED_VARIABLES names, at cold start, with the
/// function's encryption context, and serves KMS Decrypt's answer on /environment/get.</summary>
public sealed class AgentEnvironmentTests(AgentFixture fixture) : IClassFixture<AgentFixture>
{
    private const string ApiKey = "agent-env-api-key-3c1d9e";
    private const string DbUrl = "postgres://app:pw-77aa@db.internal/app";

    [Fact]
    public async Task Agent_serves_a_variable_made_by_coffer_env_encrypt_decrypted_once_at_cold_start()
    {
        var (keyId, env) = await EncryptedEnvironmentAsync("billing");
        await using var agent = await StartAgentAsync(env, "billing");

        // Decrypted at cold start: both Decrypt calls are made before anything asks for a value.
        Assert.True(await AgentFixture.UntilAsync(async () => await DecryptCallsAsync(keyId) == 2), "the agent did not decrypt at start");
        using var http = new HttpClient { BaseAddress = agent.Address };
        http.DefaultRequestHeaders.Add("X-Aws-Parameters-Secrets-Token", AgentFixture.Token);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(ApiKey, await PlaintextAsync(http, "API_KEY"));
            Assert.Equal(DbUrl, await PlaintextAsync(http, "DB_URL"));
        }

        Assert.Equal(2, await DecryptCallsAsync(keyId));

        // The same token check as every other path, and only the variables named are served.
        using var anonymous = new HttpClient { BaseAddress = agent.Address };
        using (var refused = await anonymous.GetAsync("/environment/get?name=API_KEY"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.DoesNotContain(ApiKey, await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using var unlisted = await http.GetAsync("/environment/get?name=AWS_SECRET_ACCESS_KEY");
        Assert.Equal(HttpStatusCode.NotFound, unlisted.StatusCode);
    }

    [Fact]
    public async Task A_variable_bound_to_another_function_is_refused_with_the_error_KMS_gives()
    {
        var (_, env) = await EncryptedEnvironmentAsync("billing");
        await using var agent = await StartAgentAsync(env, "reporting");
        using var http = new HttpClient { BaseAddress = agent.Address };
        http.DefaultRequestHeaders.Add("X-Aws-Parameters-Secrets-Token", AgentFixture.Token);

        using var answer = await http.GetAsync("/environment/get?name=API_KEY");
        var body = await answer.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        Assert.Contains("InvalidCiphertextException", body, StringComparison.Ordinal);
    }

    private async Task<(string KeyId, Dictionary<string, string> Env)> EncryptedEnvironmentAsync(string function)
    {
        var (keyId, env) = await fixture.EncryptedEnvironmentAsync(function, $"API_KEY={ApiKey}\nDB_URL={DbUrl}\n");
        Assert.DoesNotContain(ApiKey, string.Join('\n', env.Values), StringComparison.Ordinal);
        return (keyId, env);
    }

    private static async Task<RunningProcess> StartAgentAsync(Dictionary<string, string> env, string function)
    {
        var port = FreePort();
        env["COFFER_AGENT_ENCRYPTED_VARIABLES"] = "API_KEY, DB_URL";
        env["AWS_LAMBDA_FUNCTION_NAME"] = function;
        env["AWS_TOKEN"] = AgentFixture.Token;
        env["PARAMETERS_SECRETS_EXTENSION_HTTP_PORT"] = port.ToString(CultureInfo.InvariantCulture);
        env["PARAMETERS_SECRETS_EXTENSION_LOG_LEVEL"] = "info";
        var process = await BackgroundProcess.StartAsync("dotnet", [Path.Combine(AppContext.BaseDirectory, "coffer.dll"), "agent"], env);
        var agent = new RunningProcess(process, new Uri($"http://127.0.0.1:{port}"));
        using var ping = new HttpClient { BaseAddress = agent.Address };
        Assert.True(await AgentFixture.UntilAsync(async () => (await ping.GetAsync("/ping")).IsSuccessStatusCode), process.FirstLine);
        return agent;
    }

    private static async Task<string> PlaintextAsync(HttpClient http, string name)
    {
        using var document = JsonDocument.Parse(await http.GetStringAsync("/environment/get?name=" + name));
        return Encoding.UTF8.GetString(Convert.FromBase64String(document.RootElement.GetProperty("Plaintext").GetString()!));
    }

    private async Task<int> DecryptCallsAsync(string keyId) =>
        (await SecretsKit.AuditRecordsAsync(fixture)).Count(r => r.GetProperty("eventName").GetString() == "Decrypt" && r.GetRawText().Contains(keyId, StringComparison.Ordinal));

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }

    private sealed class RunningProcess(BackgroundProcess process, Uri address) : IAsyncDisposable
    {
        public Uri Address { get; } = address;

        public ValueTask DisposeAsync() => process.DisposeAsync();
    }
}
