using System.Security.Cryptography;
using Coffer.Core.Crypto;

namespace Coffer.Core.Kms;

public sealed record EncryptResult(byte[] CiphertextBlob, string KeyArn, string? KeyMaterialId, string EncryptionAlgorithm = KeySpecs.SymmetricDefault);

public sealed record DecryptResult(byte[] Plaintext, string KeyArn, string? KeyMaterialId, string EncryptionAlgorithm = KeySpecs.SymmetricDefault);

public sealed record ReEncryptResult(byte[] CiphertextBlob, string SourceKeyArn, string KeyArn, string? SourceKeyMaterialId, string? DestinationKeyMaterialId, string SourceEncryptionAlgorithm, string DestinationEncryptionAlgorithm);

public sealed record DataKeyResult(byte[]? Plaintext, byte[] CiphertextBlob, string KeyArn, string? KeyMaterialId);

public sealed partial class KeyService
{
    private const string SymmetricDefault = KeySpecs.SymmetricDefault;

    /// <param name="viaService">The service calling KMS for the caller (<c>ssm.REGION.amazonaws.com</c>), for kms:ViaService.</param>
    public async Task<EncryptResult> EncryptAsync(Call call, string keyId, byte[] plaintext, IReadOnlyDictionary<string, string>? context, string? algorithm = null, bool dryRun = false, string? viaService = null, CancellationToken ct = default)
    {
        var key = await ResolveAsync(call, keyId, ct);
        await AuthorizeAsync(call, key, "kms:Encrypt", ContextConditions(context, viaService, call.AccountId), ct: ct);
        var rsaHash = RequireEncryptionAlgorithm(key, algorithm, context, "Encrypt");
        RequireUsable(key);
        if (dryRun)
        {
            throw KmsErrors.DryRun();
        }

        return rsaHash is { } hash ? await EncryptRsaAsync(key, plaintext, hash, algorithm!, ct) : await EncryptUnderAsync(key, plaintext, context, ct);
    }

    /// <summary>Decrypts a blob. A symmetric blob names its key (KeyId is optional and only checked);
    /// an RSA ciphertext needs KeyId and its RSAES_OAEP algorithm, as in AWS.</summary>
    /// <param name="keyRegion">The Region whose key opens the blob when it is not the call's: a Secrets Manager
    /// replica's values are stored once, under its primary's key (see SecretService.Replication).</param>
    public async Task<DecryptResult> DecryptAsync(Call call, byte[] ciphertextBlob, IReadOnlyDictionary<string, string>? context, string? keyId = null, string? algorithm = null, bool dryRun = false, string? viaService = null, string? keyRegion = null, CancellationToken ct = default)
    {
        if (algorithm is not null && algorithm != SymmetricDefault)
        {
            return await DecryptAsymmetricAsync(call, ciphertextBlob, context, keyId, algorithm, dryRun, viaService, ct);
        }

        var (key, version) = await FindBlobKeyAsync(call, ciphertextBlob, keyRegion, ct);
        if (keyId is not null && (await ResolveAsync(call, keyId, ct)).KeyId != key.KeyId)
        {
            throw KmsErrors.IncorrectKey();
        }

        // Authorized before the key's state is told: a caller who may not use the key learns nothing of it.
        await AuthorizeAsync(call, key, "kms:Decrypt", ContextConditions(context, viaService, call.AccountId), ct: ct);
        RequireUsable(key);
        if (dryRun)
        {
            throw KmsErrors.DryRun();
        }

        var material = await MaterialAsync(key, version, ct);
        if (!CiphertextBlob.TryDecrypt(ciphertextBlob, material, context, out var plaintext))
        {
            throw KmsErrors.InvalidCiphertext();
        }

        return new DecryptResult(plaintext, key.Arn, MaterialIdOf(key.KeyId, version));
    }

    public async Task<ReEncryptResult> ReEncryptAsync(Call call, byte[] ciphertextBlob, IReadOnlyDictionary<string, string>? sourceContext, string? sourceKeyId, string destinationKeyId, IReadOnlyDictionary<string, string>? destinationContext, string? sourceAlgorithm, string? destinationAlgorithm, bool dryRun, CancellationToken ct)
    {
        var (source, version, sourceHash) = await FindSourceAsync(call, ciphertextBlob, sourceContext, sourceKeyId, sourceAlgorithm, ct);
        var destination = await ResolveAsync(call, destinationKeyId, ct);
        await AuthorizeAsync(call, source, "kms:ReEncryptFrom", ContextConditions(sourceContext, null, call.AccountId), ct: ct);
        await AuthorizeAsync(call, destination, "kms:ReEncryptTo", ContextConditions(destinationContext, null, call.AccountId), ct: ct);
        var destinationHash = RequireEncryptionAlgorithm(destination, destinationAlgorithm, destinationContext, "ReEncrypt");
        RequireUsable(source);
        RequireUsable(destination);
        if (dryRun)
        {
            throw KmsErrors.DryRun();
        }

        var plaintext = sourceHash is { } hash
            ? await DecryptRsaAsync(source, ciphertextBlob, hash, ct)
            : DecryptSymmetric(ciphertextBlob, await MaterialAsync(source, version, ct), sourceContext);
        try
        {
            var encrypted = destinationHash is { } h
                ? await EncryptRsaAsync(destination, plaintext, h, destinationAlgorithm!, ct)
                : await EncryptUnderAsync(destination, plaintext, destinationContext, ct);
            return new ReEncryptResult(
                encrypted.CiphertextBlob, source.Arn, destination.Arn, sourceHash is null ? MaterialIdOf(source.KeyId, version) : null, encrypted.KeyMaterialId,
                sourceAlgorithm ?? SymmetricDefault, encrypted.EncryptionAlgorithm);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }

    /// <summary>A fresh data key, returned in plaintext (unless <paramref name="withPlaintext"/> is false) and encrypted under the KMS key.</summary>
    public async Task<DataKeyResult> GenerateDataKeyAsync(Call call, string keyId, IReadOnlyDictionary<string, string>? context, int? numberOfBytes, string? keySpec, bool withPlaintext, bool dryRun, CancellationToken ct)
    {
        if (numberOfBytes is null == keySpec is null)
        {
            throw KmsErrors.Validation("Please specify either number of bytes or key spec.");
        }

        var length = numberOfBytes ?? (keySpec == "AES_128" ? 16 : 32);
        var key = await ResolveAsync(call, keyId, ct);
        await AuthorizeAsync(call, key, withPlaintext ? "kms:GenerateDataKey" : "kms:GenerateDataKeyWithoutPlaintext", ContextConditions(context, null, call.AccountId), ct: ct);
        RequireSymmetricEncryptionKey(key, withPlaintext ? "GenerateDataKey" : "GenerateDataKeyWithoutPlaintext");
        RequireUsable(key);
        if (dryRun)
        {
            throw KmsErrors.DryRun();
        }

        var dataKey = RandomNumberGenerator.GetBytes(length);
        var encrypted = await EncryptUnderAsync(key, dataKey, context, ct);
        if (!withPlaintext)
        {
            CryptographicOperations.ZeroMemory(dataKey);
        }

        return new DataKeyResult(withPlaintext ? dataKey : null, encrypted.CiphertextBlob, key.Arn, encrypted.KeyMaterialId);
    }

    public async Task<byte[]> GenerateRandomAsync(Call call, int? numberOfBytes, string? customKeyStoreId, CancellationToken ct)
    {
        if (customKeyStoreId is not null)
        {
            throw KmsErrors.CustomKeyStoreNotFound(customKeyStoreId);
        }

        if (numberOfBytes is null)
        {
            throw KmsErrors.Validation("NumberOfBytes is required.");
        }

        await authorizer.AuthorizeAsync(call, new Access.AccessRequest("kms:GenerateRandom", "*"), cancellationToken: ct);
        return RandomNumberGenerator.GetBytes(numberOfBytes.Value);
    }

    /// <summary>Encrypts under the key's current material version.</summary>
    private async ValueTask<EncryptResult> EncryptUnderAsync(KmsKey key, byte[] plaintext, IReadOnlyDictionary<string, string>? context, CancellationToken ct)
    {
        var version = key.CurrentMaterialVersion;
        var material = await MaterialAsync(key, version, ct);
        var blob = CiphertextBlob.Encrypt(key.KeyId, version, material, plaintext, context);
        return new EncryptResult(blob, key.Arn, MaterialIdOf(key.KeyId, version));
    }

    private static byte[] DecryptSymmetric(byte[] blob, byte[] material, IReadOnlyDictionary<string, string>? context) =>
        CiphertextBlob.TryDecrypt(blob, material, context, out var plaintext) ? plaintext : throw KmsErrors.InvalidCiphertext();

    /// <summary>The key a blob names, and the material version. Every way a blob can be wrong, including a
    /// changed key id, is the same InvalidCiphertextException, so the answer tells an attacker nothing.
    /// A key record in the read cache completes at once.</summary>
    private ValueTask<(KmsKey Key, int Version)> FindBlobKeyAsync(Call call, byte[] blob, string? keyRegion, CancellationToken ct)
    {
        if (!CiphertextBlob.TryReadHeader(blob, out var keyId, out var version))
        {
            throw KmsErrors.InvalidCiphertext();
        }

        // A multi-Region key's blob decrypts with its replica in another Region: the same id, the same material.
        var at = (keyId, keyRegion ?? call.Region);
        var found = _keyRecords.GetAsync(at, at, static (s, k, c) => s.Kms.FindKeyAsync(k.Item1, k.Item2, c), ct);
        return found.IsCompletedSuccessfully ? new((BlobKey(found.Result, version), version)) : AwaitBlobKeyAsync(found, version);
    }

    private static async ValueTask<(KmsKey Key, int Version)> AwaitBlobKeyAsync(ValueTask<KmsKey?> found, int version) =>
        (BlobKey(await found, version), version);

    private static KmsKey BlobKey(KmsKey? key, int version) =>
        key is null || version > key.CurrentMaterialVersion ? throw KmsErrors.InvalidCiphertext() : key;
}
