using System.Security.Cryptography;
using System.Text;

namespace Coffer.Core.Crypto;

/// <summary>
/// The root key: 256 random bits that wrap everything else at rest (KMS key material, access-key
/// secrets). It never leaves memory unwrapped. Each wrapped value starts with the root key's
/// version, so that a future root-key rotation can keep old versions for unwrapping.
/// </summary>
public sealed class RootKey : IDisposable
{
    public const byte CurrentVersion = 1;
    private readonly byte[] _key;

    public RootKey(ReadOnlySpan<byte> key)
    {
        if (key.Length != Aead.KeySize)
        {
            throw new ArgumentException("A root key is 32 bytes.", nameof(key));
        }

        _key = GC.AllocateArray<byte>(Aead.KeySize, pinned: true);
        key.CopyTo(_key);
    }

    public static RootKey Generate()
    {
        Span<byte> bytes = stackalloc byte[Aead.KeySize];
        RandomNumberGenerator.Fill(bytes);
        var key = new RootKey(bytes);
        CryptographicOperations.ZeroMemory(bytes);
        return key;
    }

    internal ReadOnlySpan<byte> Bytes => _key;

    /// <summary>Wraps a value. <paramref name="purpose"/> is bound as associated data (for example
    /// <c>kms-material:KEYID:VERSION</c>), so a wrapped value cannot be moved to another record.</summary>
    public byte[] Wrap(ReadOnlySpan<byte> plaintext, string purpose)
    {
        var output = new byte[1 + Aead.NonceSize + plaintext.Length + Aead.TagSize];
        output[0] = CurrentVersion;
        Aead.Seal(_key, plaintext, AssociatedData(purpose), output.AsSpan(1));
        return output;
    }

    /// <summary>Unwraps a value made by <see cref="Wrap"/>; throws if it was altered or wrapped for another purpose.</summary>
    public byte[] Unwrap(ReadOnlySpan<byte> wrapped, string purpose)
    {
        if (wrapped.Length < 1 + Aead.NonceSize + Aead.TagSize || wrapped[0] != CurrentVersion)
        {
            throw new CryptographicException("The wrapped value has an unknown format.");
        }

        return Aead.TryOpen(_key, wrapped[1..], AssociatedData(purpose))
            ?? throw new CryptographicException("The wrapped value failed authentication.");
    }

    /// <summary>Exports the raw key, for writing a key file. The caller must clear the result.</summary>
    public byte[] Export() => (byte[])_key.Clone();

    public void Dispose() => CryptographicOperations.ZeroMemory(_key);

    private static byte[] AssociatedData(string purpose) => Encoding.UTF8.GetBytes("coffer-root-v1:" + purpose);
}
