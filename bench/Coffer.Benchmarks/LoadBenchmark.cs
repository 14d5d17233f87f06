using System.Diagnostics;
using System.Globalization;
using System.Text;
using Coffer.Server.Auth;
using Coffer.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Coffer.Benchmarks;

/// <summary>
/// End-to-end throughput of the three hot reads (KMS Decrypt, SSM GetParameter with decryption,
/// Secrets Manager GetSecretValue) through Coffer — Kestrel, SigV4, validation, policy evaluation,
/// AES-GCM, the audit append — against a bare Kestrel endpoint that reads the request and returns a
/// response of the same size, in this process, measured alternately in the same run, so the figure
/// that matters is the ratio. Usage:
///   dotnet run -c Release --project bench/Coffer.Benchmarks -- load [--seconds 5] [--concurrency 16] [--rounds 3] [--store file|memory] [--no-metrics]
/// </summary>
public static class LoadBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var seconds = Option(args, "--seconds", 5);
        var concurrency = Option(args, "--concurrency", 16);
        var rounds = Option(args, "--rounds", 3);
        var store = args.SkipWhile(a => a != "--store").Skip(1).FirstOrDefault() ?? "file";

        await using var bare = await StartBareKestrelAsync();
        var dataDir = Directory.CreateTempSubdirectory("coffer-bench-").FullName;
        // --no-metrics: the same run with /_coffer/metrics off, to see what the instruments cost.
        var options = new CofferServerOptions { Urls = "http://127.0.0.1:0", ScheduleInterval = Timeout.InfiniteTimeSpan, Metrics = !args.Contains("--no-metrics") };
        RootCredentials root;
        if (store == "memory")
        {
            options = options with { Dev = true, DevRootAccessKeyId = "AKIABENCHBENCHBENCH0", DevRootSecretAccessKey = "bench-secret" };
            root = new RootCredentials("000000000000", "AKIABENCHBENCHBENCH0", "bench-secret");
        }
        else
        {
            root = await DataDirectory.InitializeAsync(dataDir, null, null);
            options = options with { DataDir = dataDir };
        }

        await using var coffer = await CofferServer.StartAsync(options, logging => logging.SetMinimumLevel(LogLevel.Warning));
        var endpoint = coffer.BaseAddress.ToString().TrimEnd('/');
        Console.WriteLine($"Coffer at {endpoint}; scrape {endpoint}/_coffer/metrics while it runs");
        using var setup = new HttpClient();
        var keyId = await CallAsync(setup, endpoint, root, "TrentService.CreateKey", "{}", "\"KeyId\":\"");
        var blob = await CallAsync(setup, endpoint, root, "TrentService.Encrypt", $"{{\"KeyId\":\"{keyId}\",\"Plaintext\":\"{Convert.ToBase64String(Encoding.UTF8.GetBytes("Top Secret"))}\"}}", "\"CiphertextBlob\":\"");
        var decrypt = $"{{\"CiphertextBlob\":\"{blob}\"}}";
        await CallAsync(setup, endpoint, root, "AmazonSSM.PutParameter", "{\"Name\":\"/app/prod/db/password\",\"Type\":\"SecureString\",\"Value\":\"Top Secret\"}", "\"Tier\":\"", "ssm");
        await CallAsync(setup, endpoint, root, "secretsmanager.CreateSecret", "{\"Name\":\"prod/db\",\"SecretString\":\"Top Secret\"}", "\"ARN\":\"", "secretsmanager");

        // Each request is signed once and replayed, as the baseline's are not signed at all: the
        // load generator shares the machine's cores and should spend them the same way for both.
        var reads = new (string Name, HttpRequestMessage Request)[]
        {
            ("KMS Decrypt", Signed(endpoint, root, "TrentService.Decrypt", decrypt)),
            ("SSM GetParameter (WithDecryption)", Signed(endpoint, root, "AmazonSSM.GetParameter", "{\"Name\":\"/app/prod/db/password\",\"WithDecryption\":true}", "ssm")),
            ("Secrets Manager GetSecretValue", Signed(endpoint, root, "secretsmanager.GetSecretValue", "{\"SecretId\":\"prod/db\"}", "secretsmanager")),
        };

        Console.WriteLine($"load: {concurrency} concurrent clients (requests signed once and replayed), {seconds} s per measurement, {rounds} rounds, Coffer store: {store}, {Environment.ProcessorCount} cores");
        foreach (var (name, presigned) in reads)
        {
            var ratios = new List<double>();
            for (var round = 1; round <= rounds; round++)
            {
                var baseline = await MeasureAsync(concurrency, seconds, () => new HttpRequestMessage(HttpMethod.Post, new Uri(bare.Url + "/")) { Content = new StringContent(decrypt) });
                var measured = await MeasureAsync(concurrency, seconds, () => Replay(presigned));
                ratios.Add(measured.PerSecond / baseline.PerSecond);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{name}, round {round}: bare Kestrel {baseline.PerSecond:F0} req/s (p50 {baseline.P50:F2} ms, p99 {baseline.P99:F2} ms); Coffer {measured.PerSecond:F0} req/s (p50 {measured.P50:F2} ms, p99 {measured.P99:F2} ms, errors {measured.Errors}); ratio {ratios[^1]:P1}"));
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}: median ratio to bare Kestrel {ratios.Order().ElementAt(ratios.Count / 2):P1}"));
        }
        Directory.Delete(dataDir, recursive: true);
        return 0;
    }

    internal static HttpRequestMessage Signed(string endpoint, RootCredentials root, string target, string body, string service = "kms")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(endpoint + "/")) { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = new("application/x-amz-json-1.1");
        request.Headers.TryAddWithoutValidation("X-Amz-Target", target);
        SigV4Signer.SignAsync(request, root.AccessKeyId, root.SecretAccessKey, null, "us-east-1", service, DateTimeOffset.UtcNow).GetAwaiter().GetResult();
        return request;
    }

    private static HttpRequestMessage Replay(HttpRequestMessage template)
    {
        var request = new HttpRequestMessage(template.Method, template.RequestUri) { Content = new ByteArrayContent(template.Content!.ReadAsByteArrayAsync().Result) };
        request.Content.Headers.ContentType = template.Content.Headers.ContentType;
        foreach (var header in template.Headers)
        {
            request.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        return request;
    }

    internal static async Task<string> CallAsync(HttpClient http, string endpoint, RootCredentials root, string target, string body, string field, string service = "kms")
    {
        using var response = await http.SendAsync(Signed(endpoint, root, target, body, service));
        var text = await response.Content.ReadAsStringAsync();
        var start = text.IndexOf(field, StringComparison.Ordinal) + field.Length;
        return text[start..text.IndexOf('"', start)];
    }

    private sealed record Result(double PerSecond, double P50, double P99, int Errors);

    private static async Task<Result> MeasureAsync(int concurrency, int seconds, Func<HttpRequestMessage> makeRequest)
    {
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency });
        // Warm up connections and JIT.
        for (var i = 0; i < concurrency * 4; i++)
        {
            using var warm = await http.SendAsync(makeRequest());
        }

        var latencies = new List<double>[concurrency];
        var errors = 0;
        var stopAt = Stopwatch.GetTimestamp() + (long)(seconds * Stopwatch.Frequency);
        var workers = Enumerable.Range(0, concurrency).Select(async w =>
        {
            var mine = latencies[w] = [];
            while (Stopwatch.GetTimestamp() < stopAt)
            {
                var started = Stopwatch.GetTimestamp();
                using var response = await http.SendAsync(makeRequest());
                await response.Content.ReadAsByteArrayAsync();
                if (!response.IsSuccessStatusCode)
                {
                    Interlocked.Increment(ref errors);
                }

                mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        });
        await Task.WhenAll(workers);
        var all = latencies.SelectMany(l => l).Order().ToList();
        return new Result(all.Count / (double)seconds, all[all.Count / 2], all[(int)(all.Count * 0.99)], errors);
    }

    internal static async Task<BareKestrel> StartBareKestrelAsync(string url = "http://127.0.0.1:0")
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(url);
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var body = Encoding.UTF8.GetBytes("{\"KeyId\":\"arn:aws:kms:us-east-1:000000000000:key/00000000-0000-0000-0000-000000000000\",\"Plaintext\":\"VG9wIFNlY3JldA==\",\"EncryptionAlgorithm\":\"SYMMETRIC_DEFAULT\",\"KeyMaterialId\":\"0000000000000000000000000000000000000000000000000000000000000000\"}");
        app.Run(async context =>
        {
            // Read the request like a server must, then answer with a response of the same size as Decrypt's.
            using var sink = new MemoryStream();
            await context.Request.Body.CopyToAsync(sink);
            context.Response.ContentType = "application/x-amz-json-1.1";
            context.Response.ContentLength = body.Length;
            await context.Response.Body.WriteAsync(body);
        });
        await app.StartAsync();
        return new BareKestrel(app, app.Urls.First());
    }

    internal sealed record BareKestrel(WebApplication App, string Url) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await App.DisposeAsync();
    }

    internal static int Option(string[] args, string name, int fallback)
    {
        var value = args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
        return value is null ? fallback : int.Parse(value, CultureInfo.InvariantCulture);
    }
}
