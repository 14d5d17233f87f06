using System.Diagnostics.Tracing;
using System.Globalization;
using System.Text;
using BenchmarkDotNet.Attributes;
using Coffer.Core;
using Coffer.Core.Identity;
using Coffer.Server.Hosting;
using Microsoft.AspNetCore.Http;

namespace Coffer.Benchmarks;

/// <summary>
/// Issue 11's allocation budget: what one hot read allocates in the server, through the request
/// pipeline Kestrel calls (SigV4, validation, policy evaluation, AES-GCM, the audit append and its
/// writer), with no socket: each call is the real <see cref="RequestPipeline"/> given a prepared,
/// validly signed request (the signature is checked against a clock fixed at signing time, so one
/// request can be replayed for as long as the benchmark runs). Dev mode's in-memory store, so the
/// writer commits without fsync (it allocates the same). Allocations on every thread count
/// (BenchmarkDotNet reads <c>GC.GetTotalAllocatedBytes</c>), the audit writer's included. The baseline
/// is bare Kestrel's handler (read the body, write a Decrypt-sized answer) on the same kind of context.
/// In process (no separate build), so it can run beside other work.
///   dotnet run -c Release --project bench/Coffer.Benchmarks -- --filter '*HotReadAllocationBenchmarks*'
/// </summary>
[MemoryDiagnoser]
[InProcess]
[WarmupCount(3)]
[IterationCount(10)]
public class HotReadAllocationBenchmarks
{
    private HotReadFixture _fixture = null!;

    [GlobalSetup]
    public void Setup() => _fixture = HotReadFixture.StartAsync().GetAwaiter().GetResult();

    [GlobalCleanup]
    public void Cleanup() => _fixture.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Benchmark(Baseline = true)]
    public Task BareHandler() => _fixture.BareAsync();

    [Benchmark]
    public Task KmsDecrypt() => _fixture.Server.SendAsync(_fixture.Decrypt);

    [Benchmark]
    public Task SsmGetParameterWithDecryption() => _fixture.Server.SendAsync(_fixture.GetParameter);

    [Benchmark]
    public Task SecretsManagerGetSecretValue() => _fixture.Server.SendAsync(_fixture.GetSecretValue);
}

/// <summary>A dev-mode server with one key, one SecureString and one secret, and the three reads of them, signed.</summary>
internal sealed class HotReadFixture : IAsyncDisposable
{
    private static readonly byte[] BareAnswer = Encoding.UTF8.GetBytes("{\"KeyId\":\"arn:aws:kms:us-east-1:000000000000:key/00000000-0000-0000-0000-000000000000\",\"Plaintext\":\"VG9wIFNlY3JldA==\",\"EncryptionAlgorithm\":\"SYMMETRIC_DEFAULT\",\"KeyMaterialId\":\"0000000000000000000000000000000000000000000000000000000000000000\"}");

    private HotReadFixture(InProcessServer server, InProcessServer.Prepared decrypt, InProcessServer.Prepared getParameter, InProcessServer.Prepared getSecretValue, InProcessServer.Prepared bare)
    {
        Server = server;
        Decrypt = decrypt;
        GetParameter = getParameter;
        GetSecretValue = getSecretValue;
        Bare = bare;
    }

    public InProcessServer Server { get; }

    public InProcessServer.Prepared Decrypt { get; }

    public InProcessServer.Prepared GetParameter { get; }

    public InProcessServer.Prepared GetSecretValue { get; }

    public InProcessServer.Prepared Bare { get; }

    public static async Task<HotReadFixture> StartAsync()
    {
        var signedAt = DateTimeOffset.UtcNow;
        var options = new CofferServerOptions
        {
            Urls = "http://127.0.0.1:0", Dev = true, DevRootAccessKeyId = "AKIABENCHBENCHBENCH0", DevRootSecretAccessKey = "bench-secret",
            ScheduleInterval = Timeout.InfiniteTimeSpan,
        };
        var server = await InProcessServer.StartAsync(options, new FixedClock(signedAt));
        var root = server.Server.DevCredentials!;
        async Task<string> CallAsync(string service, string target, string body, string? field = null)
        {
            var prepared = Prepare(root, service, target, body, signedAt);
            await server.SendAsync(prepared);
            var answer = Encoding.UTF8.GetString(prepared.Answer);
            if (prepared.Status != 200)
            {
                throw new InvalidOperationException($"{target}: {prepared.Status} {answer}");
            }

            if (field is null)
            {
                return answer;
            }

            var start = answer.IndexOf(field, StringComparison.Ordinal) + field.Length;
            return answer[start..answer.IndexOf('"', start)];
        }

        var keyId = await CallAsync("kms", "TrentService.CreateKey", "{}", "\"KeyId\":\"");
        var blob = await CallAsync("kms", "TrentService.Encrypt", $"{{\"KeyId\":\"{keyId}\",\"Plaintext\":\"{Convert.ToBase64String(Encoding.UTF8.GetBytes("Top Secret"))}\"}}", "\"CiphertextBlob\":\"");
        await CallAsync("ssm", "AmazonSSM.PutParameter", "{\"Name\":\"/app/prod/db/password\",\"Type\":\"SecureString\",\"Value\":\"Top Secret\"}");
        await CallAsync("secretsmanager", "secretsmanager.CreateSecret", "{\"Name\":\"prod/db\",\"SecretString\":\"Top Secret\"}");

        var fixture = new HotReadFixture(
            server,
            Prepare(root, "kms", "TrentService.Decrypt", $"{{\"CiphertextBlob\":\"{blob}\"}}", signedAt),
            Prepare(root, "ssm", "AmazonSSM.GetParameter", "{\"Name\":\"/app/prod/db/password\",\"WithDecryption\":true}", signedAt),
            Prepare(root, "secretsmanager", "secretsmanager.GetSecretValue", "{\"SecretId\":\"prod/db\"}", signedAt),
            Prepare(root, "kms", "TrentService.Decrypt", $"{{\"CiphertextBlob\":\"{blob}\"}}", signedAt));
        foreach (var (prepared, expected) in new[] { (fixture.Decrypt, "VG9wIFNlY3JldA=="), (fixture.GetParameter, "Top Secret"), (fixture.GetSecretValue, "Top Secret") })
        {
            await server.SendAsync(prepared);
            if (prepared.Status != 200 || !Encoding.UTF8.GetString(prepared.Answer).Contains(expected, StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"a hot read did not answer: {prepared.Status} {Encoding.UTF8.GetString(prepared.Answer)}");
            }
        }

        return fixture;
    }

    /// <summary>Bare Kestrel's handler from the load benchmark, on a prepared context.</summary>
    public async Task BareAsync()
    {
        Bare.Reset();
        var context = Bare.Context;
        using var sink = new MemoryStream();
        await context.Request.Body.CopyToAsync(sink);
        context.Response.ContentType = "application/x-amz-json-1.1";
        context.Response.ContentLength = BareAnswer.Length;
        await context.Response.Body.WriteAsync(BareAnswer);
    }

    public ValueTask DisposeAsync() => Server.DisposeAsync();

    private static InProcessServer.Prepared Prepare(RootCredentials root, string service, string target, string body, DateTimeOffset at)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri("http://" + InProcessServer.Host + "/")) { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = new("application/x-amz-json-1.1");
        request.Headers.TryAddWithoutValidation("X-Amz-Target", target);
        Coffer.Server.Auth.SigV4Signer.SignAsync(request, root.AccessKeyId, root.SecretAccessKey, null, "us-east-1", service, at).GetAwaiter().GetResult();
        return InProcessServer.Prepare(request);
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}

/// <summary>
/// Where a hot read's bytes go: the three reads in a loop, with bytes per call from
/// <c>GC.GetTotalAllocatedBytes</c> and the runtime's allocation-tick events (one per about 100 KB
/// allocated, with the type that crossed it) summed by type, so the biggest allocators show.
///   dotnet run -c Release --project bench/Coffer.Benchmarks -- allocations [--calls 20000] [--top 15]
/// </summary>
public static class AllocationProfile
{
    public static async Task<int> RunAsync(string[] args)
    {
        var calls = LoadBenchmark.Option(args, "--calls", 20_000);
        var top = LoadBenchmark.Option(args, "--top", 15);
        await using var fixture = await HotReadFixture.StartAsync();
        var services = fixture.Server.Server.Services;
        var root = new Principal(PrincipalType.Root, services.AccountId, $"arn:aws:iam::{services.AccountId}:root", services.AccountId, fixture.Server.Server.DevCredentials!.AccessKeyId);
        var blob = Convert.FromBase64String(System.Text.Json.JsonDocument.Parse(fixture.Decrypt.Body).RootElement.GetProperty("CiphertextBlob").GetString()!);
        var n = 0L;
        var reads = new (string Name, Func<Task> Call)[]
        {
            ("bare handler (baseline)", fixture.BareAsync),
            ("KMS Decrypt", () => fixture.Server.SendAsync(fixture.Decrypt)),
            ("SSM GetParameter (WithDecryption)", () => fixture.Server.SendAsync(fixture.GetParameter)),
            ("Secrets Manager GetSecretValue", () => fixture.Server.SendAsync(fixture.GetSecretValue)),
            // Parts of a hot read, each alone, to say where the bytes are.
            ("part: SigV4 verification of Decrypt's request", async () => _ = await fixture.Server.Verifier.VerifyAsync(fixture.Decrypt.Context.Request, fixture.Decrypt.Body)),
            ("part: KeyService.DecryptAsync (authorize, AES-GCM; no HTTP, no audit)", () => services.Keys.DecryptAsync(
                new Call(root, "us-east-1", "kms.amazonaws.com", "Decrypt", RequestOrigin.Internal("bench", DateTimeOffset.UtcNow)), blob, new Dictionary<string, string>())),
            ("part: a GetParameter's audit record built and serialized (AuditEntry.From)", () => { _ = AuditBenchmark.Entry(n++, DateTimeOffset.UtcNow); return Task.CompletedTask; }),
            ("part: that record built, serialized and appended (the writer's insert)", () => services.Store.AppendRecordAsync(AuditBenchmark.Entry(n++, DateTimeOffset.UtcNow))),
        };
        foreach (var (name, call) in reads)
        {
            for (var i = 0; i < 2_000; i++)
            {
                await call();
            }

            using var ticks = new AllocationTicks();
            var before = GC.GetTotalAllocatedBytes(precise: true);
            for (var i = 0; i < calls; i++)
            {
                await call();
            }

            var perCall = (GC.GetTotalAllocatedBytes(precise: true) - before) / (double)calls;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}: {perCall:F0} bytes per call over {calls} calls"));
            foreach (var (type, bytes) in ticks.ByType().Take(top))
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {bytes / (double)calls,8:F0} B/call  {type}"));
            }
        }

        return 0;
    }

    /// <summary>GCAllocationTick events of the runtime's own provider, summed by type name.</summary>
    private sealed class AllocationTicks : EventListener
    {
        private readonly Dictionary<string, long> _bytes = new(StringComparer.Ordinal);
        private bool _enabled;

        public IEnumerable<(string Type, long Bytes)> ByType()
        {
            lock (_bytes)
            {
                return _bytes.OrderByDescending(p => p.Value).Select(p => (p.Key, p.Value)).ToList();
            }
        }

        protected override void OnEventSourceCreated(EventSource source)
        {
            if (source.Name == "Microsoft-Windows-DotNETRuntime")
            {
                _enabled = true;
                EnableEvents(source, EventLevel.Verbose, (EventKeywords)0x1); // GC keyword
            }
        }

        protected override void OnEventWritten(EventWrittenEventArgs e)
        {
            if (!_enabled || e.EventName is null || !e.EventName.StartsWith("GCAllocationTick", StringComparison.Ordinal) || e.Payload is null)
            {
                return;
            }

            var names = e.PayloadNames!;
            var type = e.Payload[names.IndexOf("TypeName")] as string ?? "?";
            var amount = names.IndexOf("AllocationAmount64") is var i and >= 0 ? Convert.ToInt64(e.Payload[i], CultureInfo.InvariantCulture) : 100_000;
            lock (_bytes)
            {
                _bytes[type] = _bytes.GetValueOrDefault(type) + amount;
            }
        }
    }
}
