using System.Security.Cryptography;
using Coffer.Core.Crypto;

namespace Coffer.Core.Kms;

/// <summary>Encrypt, Decrypt and ReEncrypt with RSA keys of usage ENCRYPT_DECRYPT (RSAES_OAEP_SHA_1/256).
/// An RSA ciphertext is raw OAEP output, as AWS's: it does not name its key.</summary>
public sealed partial class KeyService
{
    /// <summary>Checks that the key encrypts and takes the algorithm; for an RSA key, the OAEP hash to use.</summary>
    private static HashAlgorithmName? RequireEncryptionAlgorithm(KmsKey key, string? algorithm, IReadOnlyDictionary<string, string>? context, string operation)
    {
        var spec = RequireUsage(key, KeySpecs.EncryptDecrypt, operation);
        if (spec.Kind == KeyKind.Symmetric)
        {
            if (algorithm is not null && algorithm != SymmetricDefault)
            {
                throw KmsErrors.InvalidKeyUsage($"The encryption algorithm {algorithm} is not valid for a symmetric encryption KMS key; use SYMMETRIC_DEFAULT.");
            }

            return null;
        }

        var hash = algorithm switch
        {
            KeySpecs.RsaesOaepSha1 => HashAlgorithmName.SHA1,
            KeySpecs.RsaesOaepSha256 => HashAlgorithmName.SHA256,
            _ => throw KmsErrors.InvalidKeyUsage($"The encryption algorithm {algorithm ?? SymmetricDefault} is not valid for {key.Arn} ({key.KeySpec}); use RSAES_OAEP_SHA_1 or RSAES_OAEP_SHA_256."),
        };
        if (context is { Count: > 0 })
        {
            throw KmsErrors.Validation("An encryption context is valid only with a symmetric encryption KMS key; RSAES_OAEP algorithms do not support one.");
        }

        return hash;
    }

    private async ValueTask<EncryptResult> EncryptRsaAsync(KmsKey key, byte[] plaintext, HashAlgorithmName hash, string algorithm, CancellationToken ct)
    {
        var max = KeyPairs.MaxOaepPlaintext(KeySpecs.Of(key).Bits, hash);
        if (plaintext.Length > max)
        {
            throw KmsErrors.Validation($"The plaintext is {plaintext.Length} bytes; {algorithm} with a {key.KeySpec} key encrypts at most {max} bytes.");
        }

        var material = await MaterialAsync(key, 1, ct);
        return new EncryptResult(KeyPairs.RsaEncrypt(material, plaintext, hash), key.Arn, null, algorithm);
    }

    private async ValueTask<byte[]> DecryptRsaAsync(KmsKey key, byte[] ciphertext, HashAlgorithmName hash, CancellationToken ct)
    {
        var material = await MaterialAsync(key, 1, ct);
        return KeyPairs.TryRsaDecrypt(material, ciphertext, hash, out var plaintext) ? plaintext : throw KmsErrors.InvalidCiphertext();
    }

    private async Task<DecryptResult> DecryptAsymmetricAsync(Call call, byte[] ciphertext, IReadOnlyDictionary<string, string>? context, string? keyId, string algorithm, bool dryRun, string? viaService, CancellationToken ct)
    {
        if (keyId is null)
        {
            throw KmsErrors.AsymmetricCiphertextNeedsKeyId(algorithm);
        }

        var key = await ResolveAsync(call, keyId, ct);
        await AuthorizeAsync(call, key, "kms:Decrypt", ContextConditions(context, viaService, call.AccountId), ct: ct);
        var hash = RequireEncryptionAlgorithm(key, algorithm, context, "Decrypt")!.Value;
        RequireUsable(key);
        if (dryRun)
        {
            throw KmsErrors.DryRun();
        }

        return new DecryptResult(await DecryptRsaAsync(key, ciphertext, hash, ct), key.Arn, null, algorithm);
    }

    /// <summary>ReEncrypt's source: the key a symmetric blob names (checked against SourceKeyId), or the
    /// SourceKeyId that an RSA ciphertext needs.</summary>
    private async Task<(KmsKey Key, int Version, HashAlgorithmName? RsaHash)> FindSourceAsync(Call call, byte[] blob, IReadOnlyDictionary<string, string>? context, string? keyId, string? algorithm, CancellationToken ct)
    {
        var named = keyId is null ? null : await ResolveAsync(call, keyId, ct);
        if (algorithm is not null && algorithm != SymmetricDefault)
        {
            var key = named ?? throw KmsErrors.AsymmetricCiphertextNeedsKeyId(algorithm);
            return (key, 1, RequireEncryptionAlgorithm(key, algorithm, context, "ReEncrypt"));
        }

        var (source, version) = await FindBlobKeyAsync(call, blob, null, ct);
        if (named is not null && named.KeyId != source.KeyId)
        {
            throw KmsErrors.IncorrectKey();
        }

        return (source, version, null);
    }
}
