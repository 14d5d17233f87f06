using System.Security.Cryptography;

namespace Coffer.Core.Crypto;

/// <summary>
/// RSA and elliptic-curve key pairs as KMS uses them. A private key travels and rests as PKCS#8
/// DER (wrapped by the root key at rest); a public key as DER SubjectPublicKeyInfo, which OpenSSL
/// and every SDK read. Nothing here knows about KMS key ids or policies.
/// </summary>
public static class KeyPairs
{
    /// <summary>Whether this machine's OpenSSL knows the curve (secp256k1 is not in every build).</summary>
    public static bool IsCurveSupported(string curve)
    {
        try
        {
            using var ecdsa = ECDsa.Create(ECCurve.CreateFromFriendlyName(curve));
            return true;
        }
        catch (Exception e) when (e is CryptographicException or PlatformNotSupportedException)
        {
            return false;
        }
    }

    /// <summary>A new RSA key pair of <paramref name="bits"/> bits, as PKCS#8 DER.</summary>
    public static byte[] GenerateRsa(int bits)
    {
        using var rsa = RSA.Create(bits);
        return rsa.ExportPkcs8PrivateKey();
    }

    /// <summary>A new key pair on the named curve (<c>nistP256</c>, <c>secP256k1</c>...), as PKCS#8 DER.</summary>
    public static byte[] GenerateEc(string curve)
    {
        using var ecdsa = ECDsa.Create(ECCurve.CreateFromFriendlyName(curve));
        return ecdsa.ExportPkcs8PrivateKey();
    }

    public static RSA ImportRsa(ReadOnlySpan<byte> pkcs8)
    {
        var rsa = RSA.Create();
        rsa.ImportPkcs8PrivateKey(pkcs8, out _);
        return rsa;
    }

    public static ECDsa ImportEcdsa(ReadOnlySpan<byte> pkcs8)
    {
        var ecdsa = ECDsa.Create();
        ecdsa.ImportPkcs8PrivateKey(pkcs8, out _);
        return ecdsa;
    }

    /// <summary>The DER SubjectPublicKeyInfo of a PKCS#8 private key.</summary>
    public static byte[] PublicKeyOf(ReadOnlySpan<byte> pkcs8, bool isRsa)
    {
        if (isRsa)
        {
            using var rsa = ImportRsa(pkcs8);
            return rsa.ExportSubjectPublicKeyInfo();
        }

        using var ecdsa = ImportEcdsa(pkcs8);
        return ecdsa.ExportSubjectPublicKeyInfo();
    }

    /// <summary>RSAES-OAEP with SHA-1 or SHA-256 (MGF1 with the same hash), as KMS's RSAES_OAEP_SHA_*.</summary>
    public static byte[] RsaEncrypt(ReadOnlySpan<byte> pkcs8, byte[] plaintext, HashAlgorithmName hash)
    {
        using var rsa = ImportRsa(pkcs8);
        return rsa.Encrypt(plaintext, RSAEncryptionPadding.CreateOaep(hash));
    }

    /// <summary>RSAES-OAEP decryption; false for a ciphertext this key did not make.</summary>
    public static bool TryRsaDecrypt(ReadOnlySpan<byte> pkcs8, byte[] ciphertext, HashAlgorithmName hash, out byte[] plaintext)
    {
        using var rsa = ImportRsa(pkcs8);
        try
        {
            plaintext = rsa.Decrypt(ciphertext, RSAEncryptionPadding.CreateOaep(hash));
            return true;
        }
        catch (CryptographicException)
        {
            plaintext = [];
            return false;
        }
    }

    /// <summary>The largest plaintext RSAES-OAEP takes with this modulus and hash.</summary>
    public static int MaxOaepPlaintext(int modulusBits, HashAlgorithmName hash) =>
        (modulusBits / 8) - (2 * HashLength(hash)) - 2;

    /// <summary>ECDH: the raw shared secret (the x coordinate) of our private key and a peer's SubjectPublicKeyInfo.
    /// False when the peer key is not a public key on the same curve.</summary>
    public static bool TryDeriveSharedSecret(ReadOnlySpan<byte> pkcs8, ReadOnlySpan<byte> peerPublicKey, out byte[] secret)
    {
        secret = [];
        using var ours = ECDiffieHellman.Create();
        ours.ImportPkcs8PrivateKey(pkcs8, out _);
        using var peer = ECDiffieHellman.Create();
        try
        {
            peer.ImportSubjectPublicKeyInfo(peerPublicKey, out var read);
            var ourCurve = ours.ExportParameters(false).Curve.Oid.Value;
            if (read != peerPublicKey.Length || peer.ExportParameters(false).Curve.Oid.Value != ourCurve)
            {
                return false;
            }

            secret = ours.DeriveRawSecretAgreement(peer.PublicKey);
            return true;
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            return false;
        }
    }

    public static int HashLength(HashAlgorithmName hash) => hash.Name switch
    {
        "SHA1" => 20,
        "SHA256" => 32,
        "SHA384" => 48,
        "SHA512" => 64,
        _ => throw new ArgumentOutOfRangeException(nameof(hash), hash.Name, "unsupported hash"),
    };
}
