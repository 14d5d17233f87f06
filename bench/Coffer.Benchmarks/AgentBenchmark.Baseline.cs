using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Coffer.Benchmarks;

public static partial class AgentBenchmark
{
    /// <summary>The floor: Kestrel built as the agent builds it (slim builder, one request delegate, loopback)
    /// answering the same bytes with no token check and no lookup.</summary>
    private static async Task<BareEndpoint> StartBareKestrelAsync(byte[] body)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Listen(IPAddress.Loopback, 0);
        });
        var app = builder.Build();
        app.Run(async context =>
        {
            context.Response.ContentType = "application/x-amz-json-1.1";
            context.Response.ContentLength = body.Length;
            await context.Response.Body.WriteAsync(body, context.RequestAborted);
        });
        await app.StartAsync();
        var url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new BareEndpoint(app, url);
    }

    private sealed record BareEndpoint(WebApplication App, string Url) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await App.DisposeAsync();
    }

    /// <summary>The native binary started afresh five times: the time from launch to its first answer
    /// (a cache miss, so one call to Coffer included), and the binary's size.</summary>
    private static async Task ColdStartAsync(string binary, Uri endpoint)
    {
        var times = new List<double>();
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Add("X-Aws-Parameters-Secrets-Token", Token);
        for (var i = 0; i < 5; i++)
        {
            var port = FreePort();
            var start = NativeStart(binary, endpoint, port);
            var watch = Stopwatch.StartNew();
            using var process = Process.Start(start)!;
            var url = $"http://127.0.0.1:{port}/secretsmanager/get?secretId=prod%2Fdb";
            while (true)
            {
                try
                {
                    using var response = await http.GetAsync(url);
                    if (response.IsSuccessStatusCode)
                    {
                        break;
                    }
                }
                catch (HttpRequestException)
                {
                    // Not listening yet.
                }

                await Task.Delay(1);
            }

            times.Add(watch.Elapsed.TotalMilliseconds);
            process.Kill();
            await process.WaitForExitAsync();
        }

        Console.WriteLine($"Cold start to first answer ({binary}, {new FileInfo(binary).Length / 1024.0 / 1024.0:F1} MiB): median {Median(times):F0} ms, min {times.Min():F0} ms, max {times.Max():F0} ms");
    }

    private static ProcessStartInfo NativeStart(string binary, Uri endpoint, int port)
    {
        // Its output is not read: the log level keeps it to warnings, and the pipe is closed at exit.
        var start = new ProcessStartInfo(binary) { RedirectStandardOutput = false, RedirectStandardError = false };
        start.Environment["AWS_TOKEN"] = Token;
        start.Environment["AWS_ACCESS_KEY_ID"] = AccessKey;
        start.Environment["AWS_SECRET_ACCESS_KEY"] = Secret;
        start.Environment["AWS_REGION"] = "us-east-1";
        start.Environment["AWS_ENDPOINT_URL"] = endpoint.ToString();
        start.Environment["PARAMETERS_SECRETS_EXTENSION_HTTP_PORT"] = port.ToString(CultureInfo.InvariantCulture);
        start.Environment["PARAMETERS_SECRETS_EXTENSION_LOG_LEVEL"] = "warn";
        return start;
    }

    /// <summary>The native agent as a process, its cache warmed, for the hit comparison.</summary>
    private static async Task<NativeAgent> StartNativeAsync(string binary, Uri endpoint)
    {
        var port = FreePort();
        var process = Process.Start(NativeStart(binary, endpoint, port))!;
        var url = $"http://127.0.0.1:{port}";
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Add("X-Aws-Parameters-Secrets-Token", Token);
        for (var i = 0; i < 5000; i++)
        {
            try
            {
                using var response = await http.GetAsync(url + "/secretsmanager/get?secretId=prod%2Fdb");
                if (response.IsSuccessStatusCode)
                {
                    break;
                }
            }
            catch (HttpRequestException)
            {
                await Task.Delay(1);
            }
        }

        return new NativeAgent(process, url);
    }

    private sealed record NativeAgent(Process Process, string Url) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            Process.Kill();
            await Process.WaitForExitAsync();
            Process.Dispose();
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
