using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using Coffer.Core.Crypto;

namespace Coffer.Benchmarks;

/// <summary>
/// The cost of Coffer's ciphertext blob (per-message HKDF key, AES-256-GCM, the header and the
/// encryption context as associated data) against bare AES-256-GCM with the same key, the floor.
/// </summary>
[MemoryDiagnoser]
public class CryptoBenchmarks
{
    private readonly byte[] _material = RandomNumberGenerator.GetBytes(32);
    private readonly Dictionary<string, string> _context = new() { ["PARAMETER_ARN"] = "arn:aws:ssm:us-east-1:111122223333:parameter/app/prod/db/password" };
    private byte[] _plaintext = [];
    private byte[] _blob = [];
    private byte[] _sealed = [];

    [Params(32, 1024)]
    public int Size { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _plaintext = RandomNumberGenerator.GetBytes(Size);
        _blob = CiphertextBlob.Encrypt(Guid.NewGuid(), 1, _material, _plaintext, _context);
        _sealed = Aead.Seal(_material, _plaintext, []);
    }

    [Benchmark(Baseline = true)]
    public byte[]? BareAesGcmOpen() => Aead.TryOpen(_material, _sealed, []);

    [Benchmark]
    public byte[]? CofferBlobDecrypt() => CiphertextBlob.TryDecrypt(_blob, _material, _context, out var plaintext) ? plaintext : null;

    [Benchmark]
    public byte[] CofferBlobEncrypt() => CiphertextBlob.Encrypt(Guid.Empty, 1, _material, _plaintext, _context);
}
