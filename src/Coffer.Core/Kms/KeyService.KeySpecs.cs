using System.Security.Cryptography;
using Coffer.Core.Crypto;

namespace Coffer.Core.Kms;

/// <summary>Key specs and usages: which go together, what material each makes, and which operation each allows.</summary>
public sealed partial class KeyService
{
    /// <summary>The spec of a new key, checked against its usage as AWS checks it.</summary>
    private static KeySpecInfo CheckSpecAndUsage(string keySpec, string keyUsage)
    {
        var spec = KeySpecs.Find(keySpec)
            ?? throw KmsErrors.Unsupported($"KeySpec {keySpec} is not supported by Coffer (ML-DSA, Ed25519 and SM2 keys are not made).");
        if (!spec.Usages.Contains(keyUsage))
        {
            throw KmsErrors.Validation($"KeyUsage {keyUsage} is not compatible with KeySpec {keySpec}; valid usages are {string.Join(", ", spec.Usages)}.");
        }

        if (spec.Curve is { } curve && !KeyPairs.IsCurveSupported(curve))
        {
            throw KmsErrors.Unsupported($"KeySpec {keySpec} is not supported: this server's OpenSSL does not provide the {curve} curve.");
        }

        return spec;
    }

    /// <summary>New key material of a spec, wrapped by the root key: 256 random bits for a symmetric key,
    /// random bits of the spec's size for an HMAC key, a PKCS#8 private key for a key pair.</summary>
    private byte[] WrapNewMaterial(Guid keyId, int version, KeySpecInfo spec)
    {
        var material = spec.Kind switch
        {
            KeyKind.Rsa => KeyPairs.GenerateRsa(spec.Bits),
            KeyKind.Ecc => KeyPairs.GenerateEc(spec.Curve!),
            _ => RandomNumberGenerator.GetBytes(spec.Bits / 8),
        };
        try
        {
            return keyring.Root.Wrap(material, MaterialPurpose(keyId, version));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(material);
        }
    }

    /// <summary>CreateKey's condition keys: the request's tags, and kms:KeySpec, kms:KeyUsage, kms:KeyOrigin, kms:MultiRegion.</summary>
    private static Dictionary<string, IReadOnlyList<string>> CreateKeyConditions(CreateKeyInput input, KeySpecInfo spec)
    {
        var keys = ResourceTags.RequestConditions(input.Tags) ?? new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase);
        keys["kms:KeySpec"] = [spec.Name];
        keys["kms:KeyUsage"] = [input.KeyUsage ?? KeySpecs.EncryptDecrypt];
        keys["kms:KeyOrigin"] = [input.Origin ?? "AWS_KMS"];
        keys["kms:MultiRegion"] = [input.MultiRegion == true ? "true" : "false"];
        return keys;
    }

    /// <summary>Refuses an operation that the key's usage does not allow, with AWS's InvalidKeyUsageException.</summary>
    private static KeySpecInfo RequireUsage(KmsKey key, string usage, string operation)
    {
        var spec = KeySpecs.Of(key);
        if (key.KeyUsage != usage)
        {
            throw KmsErrors.InvalidKeyUsage($"{key.Arn} key usage is {key.KeyUsage} which is not valid for {operation}.");
        }

        return spec;
    }

    /// <summary>Refuses a symmetric-only operation (GenerateDataKey, ReEncrypt...) on an asymmetric or HMAC key.</summary>
    private static void RequireSymmetricEncryptionKey(KmsKey key, string operation)
    {
        if (key.KeySpec != KeySpecs.SymmetricDefault || key.KeyUsage != KeySpecs.EncryptDecrypt)
        {
            throw KmsErrors.InvalidKeyUsage($"{key.Arn} is a {key.KeySpec} key with key usage {key.KeyUsage}; {operation} needs a symmetric encryption key (SYMMETRIC_DEFAULT, ENCRYPT_DECRYPT).");
        }
    }

    /// <summary>Refuses rotation of a key whose material Coffer does not rotate (asymmetric and HMAC keys), as AWS does.</summary>
    private static void RequireRotatable(KmsKey key)
    {
        if (key.KeySpec != KeySpecs.SymmetricDefault)
        {
            throw KmsErrors.Unsupported($"{key.Arn} is a {key.KeySpec} key: only symmetric encryption keys support key rotation.");
        }

        if (key.Origin == ExternalOrigin)
        {
            throw KmsErrors.Unsupported($"{key.Arn} has imported key material (origin EXTERNAL): Coffer does not rotate imported key material.");
        }

        if (key.IsReplica)
        {
            throw KmsErrors.Unsupported($"{key.Arn} is a multi-Region replica key: its rotation is the primary key's, in {key.PrimaryRegion}.");
        }
    }

    private void ForgetMaterial(Guid keyId)
    {
        foreach (var cached in _materials.Keys.Where(k => k.KeyId == keyId).ToList())
        {
            _materials.TryRemove(cached, out _);
        }
    }

    private static void RequireExternal(KmsKey key)
    {
        if (key.Origin != ExternalOrigin)
        {
            throw KmsErrors.Unsupported($"{key.Arn} has origin {key.Origin}: only keys created with origin EXTERNAL take imported key material.");
        }
    }

    private static void RequireNotPendingImport(KmsKey key)
    {
        if (key.State == KeyState.PendingImport)
        {
            throw KmsErrors.PendingImport(key.Arn);
        }
    }
}
