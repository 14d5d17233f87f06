using System.Collections.Concurrent;
using System.Text;
using Amazon.Runtime;
using BenchmarkDotNet.Attributes;
using Coffer.Client;
using Coffer.Server.Hosting;
using Microsoft.Extensions.Logging;

namespace Coffer.Benchmarks;

/// <summary>
/// A cache hit of Coffer.Client's <see cref="SecretCache"/> (issue 12; target: under 100 ns, no
/// allocation). A dev-mode server on loopback holds a secret and a SecureString parameter; the
/// cache reads each once in the setup, then every measured call is a hit. The baseline is a bare
/// <see cref="ConcurrentDictionary{TKey, TValue}"/> lookup with the same key: the floor of any
/// in-memory cache.
/// </summary>
[MemoryDiagnoser]
// In process: a job's generated project does not build within BenchmarkDotNet's two minutes on the
// shared 2-core machine, and a hit in nanoseconds needs no process of its own.
[InProcess]
public class ClientCacheBenchmarks
{
    private const string SecretName = "prod/db";
    private const string ParameterName = "/app/prod/db/password";
    private readonly ConcurrentDictionary<string, string> _floor = new(StringComparer.Ordinal);
    private RunningServer _server = null!;
    private SecretCache _cache = null!;

    [GlobalSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    [GlobalCleanup]
    public void Cleanup()
    {
        _cache.Dispose();
        _server.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    [Benchmark(Baseline = true)]
    public string? DictionaryLookup() => _floor.TryGetValue(SecretName, out var value) ? value : null;

    [Benchmark]
    public string? SecretHit() => _cache.GetSecretStringAsync(SecretName).Result;

    [Benchmark]
    public string ParameterHit() => _cache.GetParameterAsync(ParameterName).Result;

    private async Task SetupAsync()
    {
        var options = new CofferServerOptions { Urls = "http://127.0.0.1:0", ScheduleInterval = Timeout.InfiniteTimeSpan, Dev = true, DevRootAccessKeyId = "AKIABENCHBENCHBENCH0", DevRootSecretAccessKey = "bench-secret" };
        _server = await CofferServer.StartAsync(options, logging => logging.SetMinimumLevel(LogLevel.Warning));
        var client = new CofferClientOptions { Endpoint = _server.BaseAddress, Region = "us-east-1", Credentials = new BasicAWSCredentials("AKIABENCHBENCHBENCH0", "bench-secret") };
        using (var ssm = client.CreateSsm())
        {
            await ssm.PutParameterAsync(new() { Name = ParameterName, Type = "SecureString", Value = "Top Secret" });
        }

        using (var wire = new AwsWire(client))
        {
            (await wire.PostJsonAsync("secretsmanager", "secretsmanager.CreateSecret", Encoding.UTF8.GetBytes($"{{\"Name\":\"{SecretName}\",\"SecretString\":\"Top Secret\"}}"), CancellationToken.None)).Dispose();
        }

        _cache = new SecretCache(client);
        _floor[SecretName] = (await _cache.GetSecretStringAsync(SecretName))!;
        await _cache.GetParameterAsync(ParameterName);
    }
}
