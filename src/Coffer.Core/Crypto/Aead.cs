using System.Security.Cryptography;

namespace Coffer.Core.Crypto;

/// <summary>AES-256-GCM with a random 96-bit nonce and a 128-bit tag: the one AEAD Coffer uses.</summary>
public static class Aead
{
    public const int KeySize = 32;
    public const int NonceSize = 12;
    public const int TagSize = 16;

    /// <summary>Encrypts into <paramref name="destination"/>, laid out as nonce | ciphertext | tag.</summary>
    public static void Seal(ReadOnlySpan<byte> key, ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> associatedData, Span<byte> destination)
    {
        var nonce = destination[..NonceSize];
        RandomNumberGenerator.Fill(nonce);
        using var gcm = new AesGcm(key, TagSize);
        gcm.Encrypt(
            nonce,
            plaintext,
            destination.Slice(NonceSize, plaintext.Length),
            destination.Slice(NonceSize + plaintext.Length, TagSize),
            associatedData);
    }

    public static byte[] Seal(ReadOnlySpan<byte> key, ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> associatedData)
    {
        var output = new byte[NonceSize + plaintext.Length + TagSize];
        Seal(key, plaintext, associatedData, output);
        return output;
    }

    /// <summary>Opens nonce | ciphertext | tag; false when the data or the associated data was altered.</summary>
    public static bool TryOpen(ReadOnlySpan<byte> key, ReadOnlySpan<byte> sealedData, ReadOnlySpan<byte> associatedData, Span<byte> plaintext)
    {
        if (sealedData.Length < NonceSize + TagSize || plaintext.Length != sealedData.Length - NonceSize - TagSize)
        {
            return false;
        }

        using var gcm = new AesGcm(key, TagSize);
        try
        {
            gcm.Decrypt(
                sealedData[..NonceSize],
                sealedData.Slice(NonceSize, plaintext.Length),
                sealedData[^TagSize..],
                plaintext,
                associatedData);
            return true;
        }
        catch (AuthenticationTagMismatchException)
        {
            CryptographicOperations.ZeroMemory(plaintext);
            return false;
        }
    }

    public static byte[]? TryOpen(ReadOnlySpan<byte> key, ReadOnlySpan<byte> sealedData, ReadOnlySpan<byte> associatedData)
    {
        if (sealedData.Length < NonceSize + TagSize)
        {
            return null;
        }

        var plaintext = new byte[sealedData.Length - NonceSize - TagSize];
        return TryOpen(key, sealedData, associatedData, plaintext) ? plaintext : null;
    }
}
