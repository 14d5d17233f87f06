using System.Net;
using System.Net.Http.Json;
using System.Text;
using Coffer.Core.Crypto;
using Coffer.Server.Hosting;
using Coffer.Server.Tests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace Coffer.Server.Tests.Security;

/// <summary>
/// Issue 8: 32 unauthenticated unseal guesses at once took the server from 80 MiB to 1.5 GiB and
/// starved the health check. Now one Argon2id runs at a time, a few wait, the rest are refused.
/// </summary>
public sealed class UnsealExhaustionTests : IAsyncLifetime
{
    private const string Passphrase = "correct horse battery staple";
    private readonly string _dataDir = Path.Combine(Directory.CreateTempSubdirectory("coffer-unseal-").FullName, "data");
    private readonly LogCapture _logs = new();
    private RunningServer? _server;

    private RunningServer Server => _server!;

    public async Task InitializeAsync()
    {
        // A cheap cost, so the test is quick; the gate does not depend on it.
        await DataDirectory.InitializeAsync(_dataDir, null, Passphrase, new Argon2Parameters(MemoryKiB: 16 * 1024, Iterations: 2, Parallelism: 1));
        _server = await CofferServer.StartAsync(
            new CofferServerOptions
            {
                DataDir = _dataDir,
                Urls = "http://127.0.0.1:0",
                ScheduleInterval = Timeout.InfiniteTimeSpan,
                UnsealFirstDelay = TimeSpan.FromSeconds(1),
                UnsealMaxDelay = TimeSpan.FromSeconds(2),
            },
            logging => logging.AddProvider(_logs));
    }

    [Fact]
    public async Task Thirty_two_concurrent_wrong_guesses_run_one_argon2_at_a_time_and_most_are_refused()
    {
        using var http = new HttpClient { BaseAddress = Server.BaseAddress, Timeout = TimeSpan.FromMinutes(2) };
        var guesses = Enumerable.Range(0, 32).Select(async i =>
        {
            using var response = await http.PostAsJsonAsync("/_coffer/unseal", new Dictionary<string, string> { ["passphrase"] = $"wrong guess {i}" });
            return (response.StatusCode, Body: await response.Content.ReadAsStringAsync(), RetryAfter: response.Headers.RetryAfter);
        }).ToList();

        // The server keeps answering its health check while the guesses are in flight.
        using (var health = await http.GetAsync(new Uri("/_coffer/health", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
            Assert.Contains("\"sealed\":true", await health.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        var results = await Task.WhenAll(guesses);
        var refused = results.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.True(refused.Count >= 16, $"only {refused.Count} of 32 were refused");
        Assert.All(refused, r =>
        {
            Assert.Contains("\"__type\":\"ThrottlingException\"", r.Body, StringComparison.Ordinal);
            Assert.NotNull(r.RetryAfter);
        });
        Assert.All(results.Except(refused), r => Assert.Contains("InvalidPassphraseException", r.Body, StringComparison.Ordinal));
        Assert.Equal(1, Server.UnsealGate.PeakConcurrent);
        Assert.Equal(32 - refused.Count, Server.UnsealGate.Attempts);

        using var right = await http.PostAsJsonAsync("/_coffer/unseal", new Dictionary<string, string> { ["passphrase"] = Passphrase });
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.False(Server.Services.Keyring.IsSealed);
        Assert.DoesNotContain(_logs.Lines, l => l.Contains("wrong guess", StringComparison.Ordinal) || l.Contains(Passphrase, StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_oversized_unseal_body_is_refused_without_running_argon2()
    {
        using var http = new HttpClient { BaseAddress = Server.BaseAddress };
        // Twice the limit: over it, yet small enough that the socket takes it whole before the server
        // answers and closes (a megabyte raced the 413 and broke the pipe on a loaded machine).
        var huge = "{\"passphrase\":\"" + new string('a', 2 * AdminEndpoints.MaxBodyBytes) + "\"}";
        using var response = await http.PostAsync(new Uri("/_coffer/unseal", UriKind.Relative), new StringContent(huge, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(0, Server.UnsealGate.Attempts);
        Assert.True(Server.Services.Keyring.IsSealed);
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        Directory.Delete(Path.GetDirectoryName(_dataDir)!, recursive: true);
    }
}
