using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Coffer.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Coffer.Benchmarks;

/// <summary>
/// Change events delivered to a webhook (issue 9), in one process: a Coffer server in dev mode with
/// the default delivery settings, 100 rules (one per service prefix, /app/prod/svcNN/) each
/// targeting one API destination, and a local receiver. Latency: one parameter put at a time, from
/// the start of PutParameter to the receipt of its Parameter Store Change. Throughput: a burst of
/// puts from 16 clients, until the last one is received.
/// Usage: dotnet run -c Release --project bench/Coffer.Benchmarks -- events [--rules 100] [--changes 200] [--burst 1000]
/// </summary>
public static class EventsBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var rules = Option(args, "--rules", 100);
        var changes = Option(args, "--changes", 200);
        var burst = Option(args, "--burst", 1000);
        var received = new ConcurrentDictionary<string, TaskCompletionSource<long>>();
        await using var receiver = await StartReceiverAsync(received);
        var root = new RootCredentials("000000000000", "AKIABENCHBENCHBENCH0", "bench-secret");
        var options = new CofferServerOptions { Urls = "http://127.0.0.1:0", ScheduleInterval = Timeout.InfiniteTimeSpan, Dev = true, DevRootAccessKeyId = root.AccessKeyId, DevRootSecretAccessKey = root.SecretAccessKey };
        await using var coffer = await CofferServer.StartAsync(options, logging => logging.SetMinimumLevel(LogLevel.Warning));
        var endpoint = coffer.BaseAddress.ToString().TrimEnd('/');
        using var http = new HttpClient();
        var connection = await LoadBenchmark.CallAsync(http, endpoint, root, "AWSEvents.CreateConnection",
            """{"Name":"hook","AuthorizationType":"API_KEY","AuthParameters":{"ApiKeyAuthParameters":{"ApiKeyName":"X-Api-Key","ApiKeyValue":"bench"}}}""", "\"ConnectionArn\":\"", "events");
        var destination = await LoadBenchmark.CallAsync(http, endpoint, root, "AWSEvents.CreateApiDestination",
            $$"""{"Name":"hook","ConnectionArn":"{{connection}}","InvocationEndpoint":"{{receiver.Url}}/hook","HttpMethod":"POST","InvocationRateLimitPerSecond":300}""", "\"ApiDestinationArn\":\"", "events");
        for (var r = 0; r < rules; r++)
        {
            var pattern = JsonSerializer.Serialize($$$"""{"source":["aws.ssm"],"detail-type":["Parameter Store Change"],"detail":{"name":[{"prefix":"/app/prod/svc{{{r:D2}}}/"}]}}""");
            await LoadBenchmark.CallAsync(http, endpoint, root, "AWSEvents.PutRule", $$"""{"Name":"rule{{r}}","EventPattern":{{pattern}}}""", "\"RuleArn\":\"", "events");
            await LoadBenchmark.CallAsync(http, endpoint, root, "AWSEvents.PutTargets", $$$"""{"Rule":"rule{{{r}}}","Targets":[{"Id":"hook","Arn":"{{{destination}}}"}]}""", "\"FailedEntryCount\":", "events");
        }

        Console.WriteLine($"events: {rules} rules, one API destination, default delivery settings (poll interval {EventDelivery.Default.PollInterval.TotalMilliseconds} ms), {Environment.ProcessorCount} cores");
        var latencies = new List<double>();
        for (var i = 0; i < changes; i++)
        {
            var name = string.Create(CultureInfo.InvariantCulture, $"/app/prod/svc{i % rules:D2}/latency{i}");
            var started = Stopwatch.GetTimestamp();
            await PutAsync(http, endpoint, root, name, received);
            var arrived = await received[name].Task.WaitAsync(TimeSpan.FromSeconds(60));
            latencies.Add(Stopwatch.GetElapsedTime(started, arrived).TotalMilliseconds);
        }

        latencies.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"latency change to receipt over {changes} changes: p50 {latencies[latencies.Count / 2]:F0} ms, p99 {latencies[(int)(latencies.Count * 0.99)]:F0} ms, max {latencies[^1]:F0} ms"));

        var burstStarted = Stopwatch.GetTimestamp();
        await Parallel.ForEachAsync(Enumerable.Range(0, burst), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, _) =>
            await PutAsync(http, endpoint, root, string.Create(CultureInfo.InvariantCulture, $"/app/prod/svc{i % rules:D2}/burst{i}"), received));
        var committed = Stopwatch.GetElapsedTime(burstStarted).TotalSeconds;
        var last = await Task.WhenAll(received.Where(kv => kv.Key.Contains("/burst", StringComparison.Ordinal)).Select(kv => kv.Value.Task.WaitAsync(TimeSpan.FromMinutes(5))));
        var elapsed = Stopwatch.GetElapsedTime(burstStarted, last.Max()).TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"throughput: {burst} changes committed in {committed:F1} s, all delivered in {elapsed:F1} s: {burst / elapsed:F0} deliveries/s"));
        return 0;
    }

    private static async Task PutAsync(HttpClient http, string endpoint, RootCredentials root, string name, ConcurrentDictionary<string, TaskCompletionSource<long>> received)
    {
        received.GetOrAdd(name, _ => new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously));
        await LoadBenchmark.CallAsync(http, endpoint, root, "AmazonSSM.PutParameter", $$"""{"Name":"{{name}}","Type":"String","Value":"v"}""", "\"Tier\":\"", "ssm");
    }

    private static async Task<Receiver> StartReceiverAsync(ConcurrentDictionary<string, TaskCompletionSource<long>> received)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.Run(async context =>
        {
            using var doc = await JsonDocument.ParseAsync(context.Request.Body);
            var now = Stopwatch.GetTimestamp();
            if (doc.RootElement.GetProperty("detail").TryGetProperty("name", out var name))
            {
                received.GetOrAdd(name.GetString()!, _ => new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult(now);
            }

            context.Response.StatusCode = 200;
        });
        await app.StartAsync();
        return new Receiver(app, app.Urls.First());
    }

    private sealed record Receiver(WebApplication App, string Url) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await App.DisposeAsync();
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
