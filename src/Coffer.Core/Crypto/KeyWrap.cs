using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Coffer.Core.Crypto;

/// <summary>
/// Unwrapping imported key material as KMS's wrapping algorithms define it: RSAES-OAEP (SHA-1 or
/// SHA-256) directly, or RSA_AES_KEY_WRAP: an ephemeral AES key under RSAES-OAEP followed by the
/// material under AES key wrap with padding (RFC 5649), which OpenSSL calls id-aes256-wrap-pad.
/// </summary>
public static class KeyWrap
{
    private const uint Rfc5649Iv = 0xA65959A6;

    /// <summary>The wrapped material, or null when it does not unwrap with this wrapping key and algorithm.</summary>
    public static byte[]? TryUnwrap(ReadOnlySpan<byte> wrappingPkcs8, string algorithm, byte[] wrapped)
    {
        var (hash, aesWrap) = algorithm switch
        {
            "RSAES_OAEP_SHA_1" => (HashAlgorithmName.SHA1, false),
            "RSAES_OAEP_SHA_256" => (HashAlgorithmName.SHA256, false),
            "RSA_AES_KEY_WRAP_SHA_1" => (HashAlgorithmName.SHA1, true),
            "RSA_AES_KEY_WRAP_SHA_256" => (HashAlgorithmName.SHA256, true),
            _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "not a wrapping algorithm"),
        };
        using var rsa = KeyPairs.ImportRsa(wrappingPkcs8);
        var modulus = rsa.KeySize / 8;
        if (!aesWrap)
        {
            return KeyPairs.TryRsaDecrypt(wrappingPkcs8, wrapped, hash, out var material) ? material : null;
        }

        if (wrapped.Length <= modulus || !KeyPairs.TryRsaDecrypt(wrappingPkcs8, wrapped[..modulus], hash, out var aesKey))
        {
            return null;
        }

        try
        {
            return aesKey.Length is 16 or 24 or 32 ? TryAesUnwrapPadded(aesKey, wrapped[modulus..]) : null;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(aesKey);
        }
    }

    /// <summary>RFC 5649 unwrap: null when the integrity check or the padding is wrong.</summary>
    public static byte[]? TryAesUnwrapPadded(byte[] kek, byte[] wrapped)
    {
        if (wrapped.Length < 16 || wrapped.Length % 8 != 0)
        {
            return null;
        }

        using var aes = Aes.Create();
        aes.Key = kek;
        var n = (wrapped.Length / 8) - 1;
        var a = new byte[8];
        var r = new byte[n * 8];
        if (n == 1)
        {
            var block = aes.DecryptEcb(wrapped, PaddingMode.None);
            block.AsSpan(0, 8).CopyTo(a);
            block.AsSpan(8, 8).CopyTo(r);
        }
        else
        {
            wrapped.AsSpan(0, 8).CopyTo(a);
            wrapped.AsSpan(8).CopyTo(r);
            var b = new byte[16];
            for (var j = 5; j >= 0; j--)
            {
                for (var i = n; i >= 1; i--)
                {
                    var t = (ulong)((n * j) + i);
                    BinaryPrimitives.WriteUInt64BigEndian(b, BinaryPrimitives.ReadUInt64BigEndian(a) ^ t);
                    r.AsSpan((i - 1) * 8, 8).CopyTo(b.AsSpan(8));
                    var plain = aes.DecryptEcb(b, PaddingMode.None);
                    plain.AsSpan(0, 8).CopyTo(a);
                    plain.AsSpan(8, 8).CopyTo(r.AsSpan((i - 1) * 8, 8));
                }
            }
        }

        var length = BinaryPrimitives.ReadUInt32BigEndian(a.AsSpan(4));
        if (BinaryPrimitives.ReadUInt32BigEndian(a) != Rfc5649Iv || length > r.Length || length <= r.Length - 8 || r.AsSpan((int)length).ContainsAnyExcept((byte)0))
        {
            CryptographicOperations.ZeroMemory(r);
            return null;
        }

        var material = r[..(int)length];
        CryptographicOperations.ZeroMemory(r);
        return material;
    }
}
