using System.Net;
using System.Text.Json;
using Coffer.Core.Crypto;
using Coffer.Server.Hosting;
using Coffer.Server.Tests.Infrastructure;

namespace Coffer.Server.Tests.Durability;

/// <summary>Issue 14: liveness and readiness in the shape probes read (200 or 503), with the failing checks named.</summary>
public sealed class HealthTests : IAsyncLifetime
{
    private const string Passphrase = "health check passphrase";
    private readonly string _dataDir = Path.Combine(Directory.CreateTempSubdirectory("coffer-health-").FullName, "data");
    private RunningServer? _server;

    public async Task InitializeAsync()
    {
        await DataDirectory.InitializeAsync(_dataDir, null, Passphrase, new Argon2Parameters(MemoryKiB: 8 * 1024, Iterations: 1, Parallelism: 1));
        _server = await CofferServer.StartAsync(new CofferServerOptions { DataDir = _dataDir, Urls = "http://127.0.0.1:0", ScheduleInterval = Timeout.InfiniteTimeSpan });
    }

    [Fact]
    public async Task A_sealed_server_is_alive_but_not_ready_until_unsealed()
    {
        using var http = new HttpClient { BaseAddress = _server!.BaseAddress };

        var (liveStatus, _) = await GetAsync(http, "/_coffer/health/live");
        var (sealedStatus, sealedBody) = await GetAsync(http, "/_coffer/health/ready");
        using (var unseal = await http.PostAsync(new Uri("/_coffer/unseal", UriKind.Relative), new StringContent(JsonSerializer.Serialize(new { passphrase = Passphrase }))))
        {
            Assert.Equal(HttpStatusCode.OK, unseal.StatusCode);
        }

        var (readyStatus, readyBody) = await GetAsync(http, "/_coffer/health/ready");

        Assert.Equal(HttpStatusCode.OK, liveStatus);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, sealedStatus);
        Assert.False(sealedBody.GetProperty("checks").GetProperty("unsealed").GetProperty("ok").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, readyStatus);
        Assert.Equal("ready", readyBody.GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_dev_server_is_ready_and_a_disk_below_the_threshold_makes_a_server_not_ready()
    {
        await using var full = await CofferServer.StartAsync(new CofferServerOptions
        {
            Dev = true,
            Urls = "http://127.0.0.1:0",
            ScheduleInterval = Timeout.InfiniteTimeSpan,
        });
        using var devHttp = new HttpClient { BaseAddress = full.BaseAddress };
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(devHttp, "/_coffer/health/ready")).Status);

        // A data directory of its own (the sealed one is locked by its server), with a threshold no disk meets.
        var other = Path.Combine(Directory.CreateTempSubdirectory("coffer-disk-").FullName, "data");
        await DataDirectory.InitializeAsync(other, null, null);
        await using var server = await CofferServer.StartAsync(new CofferServerOptions { DataDir = other, Urls = "http://127.0.0.1:0", ScheduleInterval = Timeout.InfiniteTimeSpan, MinFreeDiskBytes = long.MaxValue });
        using var http = new HttpClient { BaseAddress = server.BaseAddress };

        var (status, body) = await GetAsync(http, "/_coffer/health/ready");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.False(body.GetProperty("checks").GetProperty("disk").GetProperty("ok").GetBoolean());
        Assert.True(body.GetProperty("checks").GetProperty("unsealed").GetProperty("ok").GetBoolean());
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(HttpClient http, string path)
    {
        using var response = await http.GetAsync(new Uri(path, UriKind.Relative));
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
