using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Coffer.Server.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Coffer.Server.Tests.Packaging;

/// <summary>
/// Issue 14: the self-contained single-file executable that the Install section documents is
/// built with the documented command and runs on a machine without .NET's shared framework in
/// the way: it starts, answers its health probes and metrics, and logs JSON when told to.
/// Slow (a full Release publish, several minutes), so CI can run it apart: --filter Category=Packaging.
/// </summary>
[Trait("Category", "Packaging")]
public sealed class SingleFileExecutableTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("coffer-single-file-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task The_published_single_file_executable_starts_answers_health_and_metrics_and_logs_json()
    {
        var publish = Stopwatch.StartNew();
        var (exit, text) = await ExternalClient.RunAsync(
            "dotnet",
            ["publish", "src/Coffer.Cli", "-c", "Release", "-r", "linux-x64", "--self-contained", "-p:PublishSingleFile=true", "-o", Path.Combine(_dir, "out")],
            new Dictionary<string, string>(),
            TimeSpan.FromMinutes(20));
        Assert.True(exit == 0, text);
        output.WriteLine($"publish: {publish.Elapsed}");

        var exe = Path.Combine(_dir, "out", "coffer");
        Assert.True(File.Exists(exe), string.Join(", ", Directory.GetFiles(Path.Combine(_dir, "out"))));
        output.WriteLine($"size: {new FileInfo(exe).Length / (1024.0 * 1024.0):0.0} MiB");

        var port = FreePort();
        var start = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "server", "--dev", "--urls", $"http://127.0.0.1:{port}", "--log-format", "json" })
        {
            start.ArgumentList.Add(a);
        }

        // No SDK, no shared framework: what a machine with only the executable has.
        start.Environment["DOTNET_ROOT"] = Path.Combine(_dir, "no-dotnet");
        start.Environment["DOTNET_BUNDLE_EXTRACT_BASE_DIR"] = Path.Combine(_dir, "extract");
        var lines = new List<string>();
        using var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (lines) { lines.Add(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (lines) { lines.Add(e.Data); } } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            var started = Stopwatch.StartNew();
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
            var live = await WaitForAsync(http, $"http://127.0.0.1:{port}/_coffer/health/live", process);
            output.WriteLine($"start to first health answer: {started.Elapsed.TotalMilliseconds:0} ms");
            Assert.Equal(HttpStatusCode.OK, live);
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri($"http://127.0.0.1:{port}/_coffer/health/ready"))).StatusCode);
            var metrics = await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/_coffer/metrics"));
            Assert.Contains("coffer_sealed", metrics, StringComparison.Ordinal);

            string[] logged;
            lock (lines)
            {
                logged = [.. lines.Where(l => l.StartsWith('{'))];
            }

            var startedLog = logged.Select(l => JsonDocument.Parse(l).RootElement).Single(l => l.GetProperty("EventId").GetInt32() == 1000);
            Assert.Equal("Information", startedLog.GetProperty("LogLevel").GetString());
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    private static async Task<HttpStatusCode> WaitForAsync(HttpClient http, string url, Process process)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline && !process.HasExited)
        {
            try
            {
                using var response = await http.GetAsync(new Uri(url));
                return response.StatusCode;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                await Task.Delay(20);
            }
        }

        throw new TimeoutException("the executable did not answer its health endpoint");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
