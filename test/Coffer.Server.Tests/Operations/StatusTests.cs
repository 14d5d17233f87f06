using System.Net;
using System.Text.Json;
using Coffer.Server.Tests.Infrastructure;

namespace Coffer.Server.Tests.Operations;

/// <summary>Issue 14: <c>coffer status</c> and the endpoint it reads, for people running the server.</summary>
public sealed class StatusTests(CofferFixture fixture) : IClassFixture<CofferFixture>, IDisposable
{
    private readonly string _dataDir = Directory.CreateTempSubdirectory("coffer-status-").FullName;

    public void Dispose() => Directory.Delete(_dataDir, recursive: true);

    [Fact]
    public async Task The_status_endpoint_answers_on_loopback_with_seal_state_version_store_audit_scheduler_events_and_disk()
    {
        using var http = new HttpClient();
        using var response = await http.GetAsync(new Uri(fixture.Endpoint + "/_coffer/status"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var status = JsonDocument.Parse(text).RootElement;
        Assert.False(status.GetProperty("sealed").GetBoolean());
        Assert.False(string.IsNullOrEmpty(status.GetProperty("version").GetString()));
        Assert.True(status.GetProperty("store").GetProperty("ok").GetBoolean());
        Assert.False(status.GetProperty("audit").GetProperty("failing").GetBoolean());
        Assert.Contains(Environment.MachineName, status.GetProperty("scheduler").GetProperty("node").GetString(), StringComparison.Ordinal);
        // The fixture drives scheduled work itself: this node's scheduler is off, so it runs nothing.
        Assert.Equal("off", status.GetProperty("scheduler").GetProperty("interval").GetString());
        Assert.False(status.GetProperty("scheduler").GetProperty("runsHere").GetBoolean());
        Assert.True(status.GetProperty("events").GetProperty("pending").GetInt64() >= 0);
        Assert.True(status.GetProperty("disk").GetProperty("ok").GetBoolean());
    }

    [Fact]
    public async Task Through_a_proxy_the_status_endpoint_wants_a_signature()
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(fixture.Endpoint + "/_coffer/status"));
        request.Headers.Add("X-Forwarded-For", "203.0.113.9");
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Coffer_status_says_sealed_and_exits_2_until_unsealed_then_shows_the_audit_head()
    {
        const string passphrase = "status-test-passphrase-8812";
        var env = new Dictionary<string, string> { ["COFFER_UNSEAL_PASSPHRASE"] = passphrase };
        Assert.Equal(0, (await CofferProcess.RunAsync(["init", "--data-dir", _dataDir, "--seal", "passphrase"], env)).ExitCode);
        await using var server = await CofferProcess.StartServerAsync(_dataDir);

        var (sealedExit, sealedText) = await CofferProcess.RunAsync(["status", "--url", server.Endpoint]);
        Assert.True(sealedExit == 2, sealedText);
        Assert.Contains("Sealed:      yes", sealedText, StringComparison.Ordinal);
        Assert.Contains("Ready:       NO: unsealed", sealedText, StringComparison.Ordinal);

        Assert.Equal(0, (await CofferProcess.RunAsync(["unseal", "--url", server.Endpoint], env)).ExitCode);
        var (exit, text) = await CofferProcess.RunAsync(["status", "--url", server.Endpoint]);
        Assert.True(exit == 0, text);
        Assert.Contains("Sealed:      no", text, StringComparison.Ordinal);
        Assert.Contains("Ready:       yes", text, StringComparison.Ordinal);
        Assert.Matches("Audit: +writable; head at record [0-9]+", text);
        Assert.Matches("Scheduler: +runs on [^ ]+/[0-9]+ every ", text);
        Assert.DoesNotContain(passphrase, text, StringComparison.Ordinal);
    }
}
