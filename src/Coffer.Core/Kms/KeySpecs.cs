namespace Coffer.Core.Kms;

public enum KeyKind
{
    Symmetric,
    Rsa,
    Ecc,
    Hmac,
}

/// <summary>What one KeySpec is: its kind, size or curve, the usages it allows and, per usage, its algorithms.</summary>
public sealed record KeySpecInfo(string Name, KeyKind Kind, int Bits, string? Curve, IReadOnlyList<string> Usages)
{
    public bool IsAsymmetric => Kind is KeyKind.Rsa or KeyKind.Ecc;

    public IReadOnlyList<string> EncryptionAlgorithms(string usage) => usage != KeySpecs.EncryptDecrypt ? [] : Kind switch
    {
        KeyKind.Symmetric => [KeySpecs.SymmetricDefault],
        KeyKind.Rsa => [KeySpecs.RsaesOaepSha1, KeySpecs.RsaesOaepSha256],
        _ => [],
    };

    public IReadOnlyList<string> SigningAlgorithms(string usage) => usage != KeySpecs.SignVerify ? [] : Name switch
    {
        _ when Kind == KeyKind.Rsa =>
        [
            "RSASSA_PSS_SHA_256", "RSASSA_PSS_SHA_384", "RSASSA_PSS_SHA_512",
            "RSASSA_PKCS1_V1_5_SHA_256", "RSASSA_PKCS1_V1_5_SHA_384", "RSASSA_PKCS1_V1_5_SHA_512",
        ],
        "ECC_NIST_P384" => ["ECDSA_SHA_384"],
        "ECC_NIST_P521" => ["ECDSA_SHA_512"],
        _ when Kind == KeyKind.Ecc => ["ECDSA_SHA_256"],
        _ => [],
    };

    public IReadOnlyList<string> KeyAgreementAlgorithms(string usage) => usage == KeySpecs.KeyAgreement ? ["ECDH"] : [];

    public IReadOnlyList<string> MacAlgorithms(string usage) =>
        usage == KeySpecs.GenerateVerifyMac ? ["HMAC_SHA_" + Name["HMAC_".Length..]] : [];
}

/// <summary>The key specs Coffer makes, with AWS's rules for which usage goes with which spec.</summary>
public static class KeySpecs
{
    public const string SymmetricDefault = "SYMMETRIC_DEFAULT";
    public const string EncryptDecrypt = "ENCRYPT_DECRYPT";
    public const string SignVerify = "SIGN_VERIFY";
    public const string KeyAgreement = "KEY_AGREEMENT";
    public const string GenerateVerifyMac = "GENERATE_VERIFY_MAC";
    public const string RsaesOaepSha1 = "RSAES_OAEP_SHA_1";
    public const string RsaesOaepSha256 = "RSAES_OAEP_SHA_256";

    private static readonly Dictionary<string, KeySpecInfo> All = new KeySpecInfo[]
    {
        new(SymmetricDefault, KeyKind.Symmetric, 256, null, [EncryptDecrypt]),
        new("RSA_2048", KeyKind.Rsa, 2048, null, [EncryptDecrypt, SignVerify]),
        new("RSA_3072", KeyKind.Rsa, 3072, null, [EncryptDecrypt, SignVerify]),
        new("RSA_4096", KeyKind.Rsa, 4096, null, [EncryptDecrypt, SignVerify]),
        new("ECC_NIST_P256", KeyKind.Ecc, 256, "nistP256", [SignVerify, KeyAgreement]),
        new("ECC_NIST_P384", KeyKind.Ecc, 384, "nistP384", [SignVerify, KeyAgreement]),
        new("ECC_NIST_P521", KeyKind.Ecc, 521, "nistP521", [SignVerify, KeyAgreement]),
        new("ECC_SECG_P256K1", KeyKind.Ecc, 256, "secP256k1", [SignVerify]),
        new("HMAC_224", KeyKind.Hmac, 224, null, [GenerateVerifyMac]),
        new("HMAC_256", KeyKind.Hmac, 256, null, [GenerateVerifyMac]),
        new("HMAC_384", KeyKind.Hmac, 384, null, [GenerateVerifyMac]),
        new("HMAC_512", KeyKind.Hmac, 512, null, [GenerateVerifyMac]),
    }.ToDictionary(s => s.Name, StringComparer.Ordinal);

    /// <summary>The spec of a stored key (always one Coffer made).</summary>
    public static KeySpecInfo Of(KmsKey key) => All[key.KeySpec];

    public static KeySpecInfo? Find(string name) => All.GetValueOrDefault(name);

    /// <summary>The key pair specs of GenerateDataKeyPair: the asymmetric specs Coffer makes.</summary>
    public static KeySpecInfo? FindKeyPair(string name) => Find(name) is { IsAsymmetric: true } spec ? spec : null;
}
