using System.Security.Cryptography;

namespace Coffer.Core.Crypto;

/// <summary>One KMS signing algorithm: its scheme and hash.</summary>
public sealed record SigningAlgorithm(string Name, bool IsRsa, RSASignaturePadding? Padding, HashAlgorithmName Hash)
{
    public int DigestLength => KeyPairs.HashLength(Hash);

    /// <summary>The algorithm a KMS name stands for, or null for one Coffer does not sign with.</summary>
    public static SigningAlgorithm? Find(string name) => name switch
    {
        "RSASSA_PSS_SHA_256" => new(name, true, RSASignaturePadding.Pss, HashAlgorithmName.SHA256),
        "RSASSA_PSS_SHA_384" => new(name, true, RSASignaturePadding.Pss, HashAlgorithmName.SHA384),
        "RSASSA_PSS_SHA_512" => new(name, true, RSASignaturePadding.Pss, HashAlgorithmName.SHA512),
        "RSASSA_PKCS1_V1_5_SHA_256" => new(name, true, RSASignaturePadding.Pkcs1, HashAlgorithmName.SHA256),
        "RSASSA_PKCS1_V1_5_SHA_384" => new(name, true, RSASignaturePadding.Pkcs1, HashAlgorithmName.SHA384),
        "RSASSA_PKCS1_V1_5_SHA_512" => new(name, true, RSASignaturePadding.Pkcs1, HashAlgorithmName.SHA512),
        "ECDSA_SHA_256" => new(name, false, null, HashAlgorithmName.SHA256),
        "ECDSA_SHA_384" => new(name, false, null, HashAlgorithmName.SHA384),
        "ECDSA_SHA_512" => new(name, false, null, HashAlgorithmName.SHA512),
        _ => null,
    };

    /// <summary>The digest to sign: the message hashed (RAW), or the message itself (DIGEST).</summary>
    public byte[] Digest(byte[] message, bool isDigest) => isDigest ? message : Hash.Name switch
    {
        "SHA256" => SHA256.HashData(message),
        "SHA384" => SHA384.HashData(message),
        _ => SHA512.HashData(message),
    };
}

/// <summary>
/// Signing with a PKCS#8 private key as KMS signs: RSASSA-PSS with a salt as long as the hash
/// (MGF1 with the same hash), RSASSA-PKCS1-v1_5, and ECDSA with a DER-encoded (r, s) signature.
/// </summary>
public static class Signatures
{
    public static byte[] Sign(ReadOnlySpan<byte> pkcs8, SigningAlgorithm algorithm, byte[] digest)
    {
        if (algorithm.IsRsa)
        {
            using var rsa = KeyPairs.ImportRsa(pkcs8);
            return rsa.SignHash(digest, algorithm.Hash, algorithm.Padding!);
        }

        using var ecdsa = KeyPairs.ImportEcdsa(pkcs8);
        return ecdsa.SignHash(digest, DSASignatureFormat.Rfc3279DerSequence);
    }

    /// <summary>Whether the signature is valid; a malformed signature is simply not valid.</summary>
    public static bool Verify(ReadOnlySpan<byte> pkcs8, SigningAlgorithm algorithm, byte[] digest, byte[] signature)
    {
        try
        {
            if (algorithm.IsRsa)
            {
                using var rsa = KeyPairs.ImportRsa(pkcs8);
                return rsa.VerifyHash(digest, signature, algorithm.Hash, algorithm.Padding!);
            }

            using var ecdsa = KeyPairs.ImportEcdsa(pkcs8);
            return ecdsa.VerifyHash(digest, signature, DSASignatureFormat.Rfc3279DerSequence);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }
}
