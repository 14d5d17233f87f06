using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using Coffer.Server.Auth;

namespace Coffer.Benchmarks;

/// <summary>
/// Time and bytes of one SigV4 verification (issue 11): the verifier on the hot read's own
/// request (KMS Decrypt, signed in its Authorization header, its signing key cached), against the
/// hashing every verification must do, the floor: SHA-256 of the body and of a canonical request's
/// worth of bytes, and the HMAC of a string to sign. In process, on the hot-read fixture.
///   dotnet run -c Release --project bench/Coffer.Benchmarks -- --filter '*SigV4Benchmarks*'
/// </summary>
[MemoryDiagnoser]
[InProcess]
[WarmupCount(3)]
[IterationCount(15)]
public class SigV4Benchmarks
{
    private readonly byte[] _canonical = RandomNumberGenerator.GetBytes(400);
    private readonly byte[] _stringToSign = RandomNumberGenerator.GetBytes(150);
    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);
    private readonly byte[] _hash = new byte[32];
    private HotReadFixture _fixture = null!;

    [GlobalSetup]
    public void Setup() => _fixture = HotReadFixture.StartAsync().GetAwaiter().GetResult();

    [GlobalCleanup]
    public void Cleanup() => _fixture.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Benchmark(Baseline = true)]
    public byte[] HashesOnly()
    {
        SHA256.HashData(_fixture.Decrypt.Body, _hash);
        SHA256.HashData(_canonical, _hash);
        HMACSHA256.HashData(_key, _stringToSign, _hash);
        return _hash;
    }

    [Benchmark]
    public ValueTask<Authenticated> Verify() => _fixture.Server.Verifier.VerifyAsync(_fixture.Decrypt.Context.Request, _fixture.Decrypt.Body);
}
