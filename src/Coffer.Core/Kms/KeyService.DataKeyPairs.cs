using System.Security.Cryptography;
using Coffer.Core.Crypto;

namespace Coffer.Core.Kms;

public sealed record DataKeyPairResult(byte[]? PrivateKeyPlaintext, byte[] PrivateKeyCiphertextBlob, byte[] PublicKey, string KeyArn, string KeyPairSpec, string? KeyMaterialId);

public sealed record SharedSecretResult(string KeyArn, byte[] SharedSecret, string KeyAgreementAlgorithm, string KeyOrigin);

/// <summary>GenerateDataKeyPair(WithoutPlaintext) under a symmetric key, and DeriveSharedSecret (ECDH) with a KEY_AGREEMENT key.</summary>
public sealed partial class KeyService
{
    /// <summary>A fresh key pair: the public key (DER SubjectPublicKeyInfo), and the private key (PKCS#8 DER)
    /// encrypted under the symmetric KMS key and, unless <paramref name="withPlaintext"/> is false, in plaintext.</summary>
    public async Task<DataKeyPairResult> GenerateDataKeyPairAsync(Call call, string keyId, IReadOnlyDictionary<string, string>? context, string keyPairSpec, bool withPlaintext, bool dryRun, CancellationToken ct)
    {
        var operation = withPlaintext ? "GenerateDataKeyPair" : "GenerateDataKeyPairWithoutPlaintext";
        var spec = KeySpecs.FindKeyPair(keyPairSpec)
            ?? throw KmsErrors.Unsupported($"KeyPairSpec {keyPairSpec} is not supported by Coffer (SM2 and Ed25519 key pairs are not made).");
        var key = await ResolveAsync(call, keyId, ct);
        var conditions = MakeContextConditions(context, null, call.AccountId);
        conditions["kms:DataKeyPairSpec"] = [keyPairSpec];
        await AuthorizeAsync(call, key, "kms:" + operation, conditions, ct: ct);
        RequireSymmetricEncryptionKey(key, operation);
        RequireUsable(key);
        if (spec.Curve is { } curve && !KeyPairs.IsCurveSupported(curve))
        {
            throw KmsErrors.Unsupported($"KeyPairSpec {keyPairSpec} is not supported: this server's OpenSSL does not provide the {curve} curve.");
        }

        if (dryRun)
        {
            throw KmsErrors.DryRun();
        }

        var privateKey = spec.Kind == KeyKind.Rsa ? KeyPairs.GenerateRsa(spec.Bits) : KeyPairs.GenerateEc(spec.Curve!);
        var publicKey = KeyPairs.PublicKeyOf(privateKey, spec.Kind == KeyKind.Rsa);
        var encrypted = await EncryptUnderAsync(key, privateKey, context, ct);
        if (!withPlaintext)
        {
            CryptographicOperations.ZeroMemory(privateKey);
        }

        return new DataKeyPairResult(withPlaintext ? privateKey : null, encrypted.CiphertextBlob, publicKey, key.Arn, keyPairSpec, encrypted.KeyMaterialId);
    }

    /// <summary>ECDH between the KMS key's private key and a peer's public key (DER SubjectPublicKeyInfo on the same curve).</summary>
    public async Task<SharedSecretResult> DeriveSharedSecretAsync(Call call, string keyId, string algorithm, byte[] publicKey, bool dryRun, CancellationToken ct)
    {
        var key = await ResolveAsync(call, keyId, ct);
        await AuthorizeAsync(call, key, "kms:DeriveSharedSecret", new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase)
        {
            ["kms:CallerAccount"] = [call.AccountId],
            ["kms:KeyAgreementAlgorithm"] = [algorithm],
        }, ct: ct);
        var spec = RequireUsage(key, KeySpecs.KeyAgreement, "DeriveSharedSecret");
        if (!spec.KeyAgreementAlgorithms(key.KeyUsage).Contains(algorithm))
        {
            throw KmsErrors.InvalidKeyUsage($"The key agreement algorithm {algorithm} is not valid for {key.Arn}; use ECDH.");
        }

        RequireUsable(key);
        if (dryRun)
        {
            throw KmsErrors.DryRun();
        }

        var material = await MaterialAsync(key, 1, ct);
        if (!KeyPairs.TryDeriveSharedSecret(material, publicKey, out var secret))
        {
            throw KmsErrors.Validation($"PublicKey must be a DER-encoded X.509 SubjectPublicKeyInfo of a public key on the curve of {key.Arn} ({key.KeySpec}).");
        }

        return new SharedSecretResult(key.Arn, secret, algorithm, key.Origin);
    }
}
