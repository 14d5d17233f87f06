using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Coffer.Agent;
using Coffer.Server.Auth;
using Coffer.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Coffer.Benchmarks;

/// <summary>
/// `coffer agent` measured (issue 12): cache hits against a bare Kestrel endpoint answering a body
/// of the same size, both in this process and loaded by wrk alternately in the same run; the time
/// from a change (PutParameter sent) to the agent serving the new value; and, given the native
/// binary, its size and its cold start to the first answer. Usage:
///   dotnet run -c Release --project bench/Coffer.Benchmarks -- agent [--seconds 5] [--rounds 3]
///     [--connections 16] [--changes 200] [--agent-binary PATH]
/// </summary>
public static partial class AgentBenchmark
{
    private const string Token = "bench-token";
    private const string AccessKey = "AKIABENCHBENCHBENCH0";
    private const string Secret = "bench-secret";

    public static async Task<int> RunAsync(string[] args)
    {
        var seconds = Option(args, "--seconds", 5);
        var rounds = Option(args, "--rounds", 3);
        var connections = Option(args, "--connections", 16);
        var changes = Option(args, "--changes", 200);
        var binary = args.SkipWhile(a => a != "--agent-binary").Skip(1).FirstOrDefault();

        await using var coffer = await CofferServer.StartAsync(
            new CofferServerOptions { Urls = "http://127.0.0.1:0", ScheduleInterval = Timeout.InfiniteTimeSpan, Dev = true, DevRootAccessKeyId = AccessKey, DevRootSecretAccessKey = Secret },
            logging => logging.SetMinimumLevel(LogLevel.Warning));
        var endpoint = coffer.BaseAddress;
        using var setup = new HttpClient();
        await CallAsync(setup, endpoint, "AmazonSSM.PutParameter", "{\"Name\":\"/app/prod/db/password\",\"Type\":\"SecureString\",\"Value\":\"Top Secret 0\"}", "ssm");
        await CallAsync(setup, endpoint, "secretsmanager.CreateSecret", "{\"Name\":\"prod/db\",\"SecretString\":\"Top Secret\"}", "secretsmanager");
        await CallAsync(setup, endpoint, "secretsmanager.CreateSecret", "{\"Name\":\"prod/rotated\",\"SecretString\":\"Top Secret 0\"}", "secretsmanager");

        var options = AgentOptions.Default with
        {
            HttpPort = 0,
            Token = Token,
            Endpoints = new CofferEndpoints(endpoint, endpoint, endpoint, "us-east-1"),
            LogLevel = LogLevel.Warning,
        };
        await using var agent = await AgentHost.StartAsync(options, new AwsCredentials(AccessKey, Secret, null));
        using var client = new HttpClient { BaseAddress = agent.BaseAddress };
        client.DefaultRequestHeaders.Add("X-Aws-Parameters-Secrets-Token", Token);
        var answer = await client.GetByteArrayAsync("/secretsmanager/get?secretId=prod%2Fdb");
        await using var bare = await StartBareKestrelAsync(answer);

        Console.WriteLine($"Cache hits, agent in this process (JIT): wrk -t2 -c{connections} -d{seconds}s, {rounds} rounds, a {answer.Length}-byte answer");
        var ratios = await CompareAsync(bare.Url, agent.BaseAddress.ToString().TrimEnd('/'), rounds, connections, seconds);
        Console.WriteLine($"  median ratio {Median(ratios):P1}");
        await ChangeLatencyAsync(setup, endpoint, client, changes);
        if (binary is not null)
        {
            await ColdStartAsync(binary, endpoint);
            await using var native = await StartNativeAsync(binary, endpoint);
            Console.WriteLine($"Cache hits, native agent ({binary}): same load");
            var nativeRatios = await CompareAsync(bare.Url, native.Url, rounds, connections, seconds);
            Console.WriteLine($"  median ratio {Median(nativeRatios):P1}");
        }

        return 0;
    }

    /// <summary>wrk against the bare endpoint and the agent, alternately; returns the agent's share per round.</summary>
    private static async Task<List<double>> CompareAsync(string bareBase, string agentBase, int rounds, int connections, int seconds)
    {
        const string path = "/secretsmanager/get?secretId=prod%2Fdb";
        var ratios = new List<double>();
        for (var round = 1; round <= rounds; round++)
        {
            // Alternate which goes first, so that the drift of the (shared) machine falls on both alike.
            double baseline, hits;
            if (round % 2 == 1)
            {
                baseline = await WrkAsync(bareBase + path, connections, seconds);
                hits = await WrkAsync(agentBase + path, connections, seconds);
            }
            else
            {
                hits = await WrkAsync(agentBase + path, connections, seconds);
                baseline = await WrkAsync(bareBase + path, connections, seconds);
            }

            ratios.Add(hits / baseline);
            Console.WriteLine($"  round {round}: bare Kestrel {baseline:F0} req/s, agent {hits:F0} req/s, ratio {hits / baseline:P1}");
        }

        return ratios;
    }

    /// <summary>
    /// From sending the change to the agent's first answer with the new value; the agent is polled
    /// every millisecond. A parameter is overwritten (PutParameter); a secret gets a new AWSCURRENT
    /// version (PutSecretValue), which is how every rotation ends (its finishSecret step).
    /// </summary>
    private static async Task ChangeLatencyAsync(HttpClient setup, Uri endpoint, HttpClient agent, int changes)
    {
        await LatencyAsync("PutParameter", "/systemsmanager/parameters/get?name=%2Fapp%2Fprod%2Fdb%2Fpassword&withDecryption=true", changes, agent, value =>
            CallAsync(setup, endpoint, "AmazonSSM.PutParameter", $"{{\"Name\":\"/app/prod/db/password\",\"Type\":\"SecureString\",\"Value\":\"{value}\",\"Overwrite\":true}}", "ssm"));
        // A secret holds at most 100 versions (as in AWS), the first one included.
        await LatencyAsync("PutSecretValue (a rotation's new AWSCURRENT)", "/secretsmanager/get?secretId=prod%2Frotated", Math.Min(changes, 99), agent, value =>
            CallAsync(setup, endpoint, "secretsmanager.PutSecretValue", $"{{\"SecretId\":\"prod/rotated\",\"SecretString\":\"{value}\"}}", "secretsmanager"));
    }

    private static async Task LatencyAsync(string change, string path, int changes, HttpClient agent, Func<string, Task<string>> put)
    {
        await agent.GetStringAsync(path);
        var times = new List<double>();
        for (var i = 1; i <= changes; i++)
        {
            var value = $"Top Secret {i}";
            var watch = Stopwatch.StartNew();
            await put(value);
            while (!(await agent.GetStringAsync(path)).Contains($"\"{value}\"", StringComparison.Ordinal))
            {
                if (watch.Elapsed > TimeSpan.FromSeconds(30))
                {
                    throw new TimeoutException("the agent never served the new value");
                }

                await Task.Delay(1);
            }

            times.Add(watch.Elapsed.TotalMilliseconds);
        }

        times.Sort();
        Console.WriteLine($"{change} to new value served ({changes} changes, TTL 300 s): p50 {Pct(times, 0.5):F0} ms, p99 {Pct(times, 0.99):F0} ms, max {times[^1]:F0} ms");
    }

    private static double Pct(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    private static async Task<double> WrkAsync(string url, int connections, int seconds)
    {
        var start = new ProcessStartInfo("wrk") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "-t2", $"-c{connections}", $"-d{seconds}s", "-H", "X-Aws-Parameters-Secrets-Token: " + Token, url })
        {
            start.ArgumentList.Add(a);
        }

        using var wrk = Process.Start(start)!;
        var output = await wrk.StandardOutput.ReadToEndAsync();
        await wrk.WaitForExitAsync();
        if (output.Contains("Non-2xx", StringComparison.Ordinal))
        {
            throw new InvalidOperationException("wrk saw errors: " + output);
        }

        return double.Parse(RequestsPerSecond().Match(output).Groups[1].Value, CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"Requests/sec:\s+([0-9.]+)")]
    private static partial Regex RequestsPerSecond();

    private static async Task<string> CallAsync(HttpClient http, Uri endpoint, string target, string body, string service)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/x-amz-json-1.1");
        request.Headers.Add("X-Amz-Target", target);
        await SigV4Signer.SignAsync(request, AccessKey, Secret, null, "us-east-1", service, DateTimeOffset.UtcNow);
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return response.IsSuccessStatusCode ? text : throw new InvalidOperationException($"{target}: {text}");
    }

    private static int Option(string[] args, string name, int fallback) =>
        args.SkipWhile(a => a != name).Skip(1).FirstOrDefault() is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
}
