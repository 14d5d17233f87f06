using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace Coffer.Core.Crypto;

/// <summary>
/// The self-describing ciphertext that KMS Encrypt returns, so Decrypt needs no key id:
/// <code>
///  0   1  format version (1)
///  1  16  KMS key id (the UUID's bytes)
/// 17   4  key material version (big-endian)
/// 21  16  salt: the per-message key is HKDF-SHA256(material, salt)
/// 37  12  nonce
/// 49   n  ciphertext
/// 49+n 16 tag
/// </code>
/// The whole header and the canonical encryption context are the associated data, so changing any
/// byte, or decrypting with another context, fails authentication. A fresh key per message keeps
/// AES-GCM far from its random-nonce limit however much one key encrypts.
/// </summary>
public static class CiphertextBlob
{
    public const byte FormatVersion = 1;
    public const int HeaderSize = 1 + 16 + 4 + SaltSize + Aead.NonceSize;
    public const int Overhead = HeaderSize + Aead.TagSize;
    private const int SaltSize = 16;
    private static readonly byte[] HkdfInfo = "coffer-kms-blob-v1"u8.ToArray();

    public static byte[] Encrypt(Guid keyId, int materialVersion, ReadOnlySpan<byte> material, ReadOnlySpan<byte> plaintext, IReadOnlyDictionary<string, string>? context)
    {
        var blob = new byte[Overhead + plaintext.Length];
        var span = blob.AsSpan();
        span[0] = FormatVersion;
        keyId.TryWriteBytes(span.Slice(1, 16), bigEndian: true, out _);
        BinaryPrimitives.WriteInt32BigEndian(span.Slice(17, 4), materialVersion);
        RandomNumberGenerator.Fill(span.Slice(21, SaltSize + Aead.NonceSize));

        Span<byte> messageKey = stackalloc byte[Aead.KeySize];
        HKDF.DeriveKey(HashAlgorithmName.SHA256, material, messageKey, span.Slice(21, SaltSize), HkdfInfo);
        using var gcm = new AesGcm(messageKey, Aead.TagSize);
        CryptographicOperations.ZeroMemory(messageKey);
        gcm.Encrypt(
            span.Slice(21 + SaltSize, Aead.NonceSize),
            plaintext,
            span.Slice(HeaderSize, plaintext.Length),
            span[^Aead.TagSize..],
            AssociatedData(span[..HeaderSize], context));
        return blob;
    }

    /// <summary>Reads the header without decrypting: which key and material version made the blob.</summary>
    public static bool TryReadHeader(ReadOnlySpan<byte> blob, out Guid keyId, out int materialVersion)
    {
        keyId = Guid.Empty;
        materialVersion = 0;
        if (blob.Length < Overhead || blob[0] != FormatVersion)
        {
            return false;
        }

        keyId = new Guid(blob.Slice(1, 16), bigEndian: true);
        materialVersion = BinaryPrimitives.ReadInt32BigEndian(blob.Slice(17, 4));
        return materialVersion > 0;
    }

    public static bool TryDecrypt(ReadOnlySpan<byte> blob, ReadOnlySpan<byte> material, IReadOnlyDictionary<string, string>? context, [NotNullWhen(true)] out byte[]? plaintext)
    {
        plaintext = null;
        if (!TryReadHeader(blob, out _, out _))
        {
            return false;
        }

        Span<byte> messageKey = stackalloc byte[Aead.KeySize];
        HKDF.DeriveKey(HashAlgorithmName.SHA256, material, messageKey, blob.Slice(21, SaltSize), HkdfInfo);
        using var gcm = new AesGcm(messageKey, Aead.TagSize);
        CryptographicOperations.ZeroMemory(messageKey);
        var output = new byte[blob.Length - Overhead];
        try
        {
            gcm.Decrypt(
                blob.Slice(21 + SaltSize, Aead.NonceSize),
                blob.Slice(HeaderSize, output.Length),
                blob[^Aead.TagSize..],
                output,
                AssociatedData(blob[..HeaderSize], context));
        }
        catch (AuthenticationTagMismatchException)
        {
            return false;
        }

        plaintext = output;
        return true;
    }

    private static byte[] AssociatedData(ReadOnlySpan<byte> header, IReadOnlyDictionary<string, string>? context)
    {
        var canonical = EncryptionContext.Canonicalize(context);
        var aad = new byte[header.Length + canonical.Length];
        header.CopyTo(aad);
        canonical.CopyTo(aad.AsSpan(header.Length));
        return aad;
    }
}
