using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Coffer.Core.Crypto;

namespace Coffer.Core.Kms;

public sealed record ImportParameters(string KeyArn, byte[] ImportToken, byte[] PublicKey, DateTimeOffset ParametersValidTo);

/// <summary>
/// Imported key material (origin EXTERNAL) for symmetric and HMAC keys: GetParametersForImport,
/// ImportKeyMaterial, DeleteImportedKeyMaterial and expiry. The import token carries the RSA wrapping
/// key itself, sealed by the root key for this KMS key, so nothing about an import is stored until
/// the material arrives.
/// </summary>
public sealed partial class KeyService
{
    public const string ExternalOrigin = "EXTERNAL";
    public const string MaterialExpires = "KEY_MATERIAL_EXPIRES";
    public const string MaterialDoesNotExpire = "KEY_MATERIAL_DOES_NOT_EXPIRE";
    private static readonly string[] WrappingAlgorithms = ["RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256", "RSA_AES_KEY_WRAP_SHA_1", "RSA_AES_KEY_WRAP_SHA_256"];

    public async Task<ImportParameters> GetParametersForImportAsync(Call call, string keyId, string wrappingAlgorithm, string wrappingKeySpec, CancellationToken ct)
    {
        var key = await ResolveAsync(call, keyId, ct);
        await AuthorizeAsync(call, key, "kms:GetParametersForImport", new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase)
        {
            ["kms:WrappingAlgorithm"] = [wrappingAlgorithm],
            ["kms:WrappingKeySpec"] = [wrappingKeySpec],
        }, ct: ct);
        RequireExternal(key);
        RequireNotPendingDeletion(key);
        var algorithm = Array.IndexOf(WrappingAlgorithms, wrappingAlgorithm);
        if (algorithm < 0 || wrappingKeySpec is not ("RSA_2048" or "RSA_3072" or "RSA_4096"))
        {
            throw KmsErrors.Unsupported($"Wrapping with {wrappingAlgorithm} and a {wrappingKeySpec} key is not supported; use RSAES_OAEP_SHA_1/256 or RSA_AES_KEY_WRAP_SHA_1/256 with an RSA wrapping key.");
        }

        var validTo = time.GetUtcNow().AddHours(24);
        var wrappingKey = KeyPairs.GenerateRsa(int.Parse(wrappingKeySpec["RSA_".Length..], System.Globalization.CultureInfo.InvariantCulture));
        try
        {
            var payload = new byte[9 + wrappingKey.Length];
            BinaryPrimitives.WriteInt64BigEndian(payload, validTo.ToUnixTimeSeconds());
            payload[8] = (byte)algorithm;
            wrappingKey.CopyTo(payload, 9);
            var token = keyring.Root.Wrap(payload, ImportTokenPurpose(key.KeyId));
            CryptographicOperations.ZeroMemory(payload);
            return new ImportParameters(key.Arn, token, KeyPairs.PublicKeyOf(wrappingKey, isRsa: true), DateTimeOffset.FromUnixTimeSeconds(validTo.ToUnixTimeSeconds()));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(wrappingKey);
        }
    }

    public async Task<KmsKey> ImportKeyMaterialAsync(Call call, string keyId, byte[] importToken, byte[] encryptedMaterial, DateTimeOffset? validTo, string? expirationModel, string? importType, CancellationToken ct)
    {
        var resolved = await ResolveAsync(call, keyId, ct);
        await AuthorizeAsync(call, resolved, "kms:ImportKeyMaterial", new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase)
        {
            ["kms:ExpirationModel"] = [expirationModel ?? (validTo is null ? MaterialDoesNotExpire : MaterialExpires)],
        }, ct: ct);
        RequireExternal(resolved);
        var model = expirationModel ?? (validTo is null ? MaterialDoesNotExpire : MaterialExpires);
        if ((model == MaterialExpires) != validTo.HasValue)
        {
            throw KmsErrors.Validation("ValidTo is required with KEY_MATERIAL_EXPIRES and not allowed with KEY_MATERIAL_DOES_NOT_EXPIRE.");
        }

        if (validTo <= time.GetUtcNow() || validTo > time.GetUtcNow().AddDays(365))
        {
            throw KmsErrors.Validation("ValidTo must be in the future and at most 365 days away.");
        }

        var material = OpenImport(resolved, importToken, encryptedMaterial);
        var fingerprint = Fingerprint(resolved.KeyId, material);
        if (importType == "NEW_KEY_MATERIAL" && resolved.ImportedMaterialFingerprint is not null)
        {
            throw KmsErrors.Unsupported($"{resolved.Arn} already has imported key material: Coffer does not rotate imported key material.");
        }

        var wrapped = keyring.Root.Wrap(material, MaterialPurpose(resolved.KeyId, 1));
        CryptographicOperations.ZeroMemory(material);
        return await audit.WriteChangeAsync(call, async (s, c) =>
        {
            var key = await ResolveInAsync(s, call, keyId, c);
            RequireNotPendingDeletion(key);
            if (key.ImportedMaterialFingerprint is { } previous && previous != fingerprint)
            {
                throw KmsErrors.IncorrectKeyMaterial();
            }

            if (!key.MaterialImported)
            {
                await s.Kms.InsertMaterialAsync(key.KeyId, 1, wrapped, time.GetUtcNow(), c);
            }

            var updated = key with
            {
                MaterialImported = true,
                ImportedMaterialFingerprint = fingerprint,
                ExpirationModel = model,
                ValidTo = validTo,
                State = key.State == KeyState.PendingImport ? KeyState.Enabled : key.State,
            };
            await s.Kms.UpdateKeyAsync(updated, c);
            return updated;
        }, ct);
    }

    public async Task<KmsKey> DeleteImportedKeyMaterialAsync(Call call, string keyId, CancellationToken ct)
    {
        var key = await UpdateKeyAsync(call, keyId, "kms:DeleteImportedKeyMaterial", (key, s, c) =>
        {
            RequireExternal(key);
            RequireNotPendingDeletion(key);
            return RemoveImportedMaterialAsync(s, key, c);
        }, ct);
        ForgetMaterial(key.KeyId);
        return key;
    }

    /// <summary>Deletes a key's imported material: the key waits for an import again (its state kept while pending deletion).</summary>
    private static async ValueTask<KmsKey> RemoveImportedMaterialAsync(Storage.IStoreSession s, KmsKey key, CancellationToken ct)
    {
        await s.Kms.DeleteMaterialAsync(key.KeyId, ct);
        return key with
        {
            MaterialImported = false,
            ValidTo = null,
            ExpirationModel = null,
            State = key.State == KeyState.PendingDeletion ? KeyState.PendingDeletion : KeyState.PendingImport,
        };
    }

    /// <summary>Opens the import token and unwraps the material with the wrapping key inside it; checks the material's length.</summary>
    private byte[] OpenImport(KmsKey key, byte[] importToken, byte[] encryptedMaterial)
    {
        byte[] payload;
        try
        {
            payload = keyring.Root.Unwrap(importToken, ImportTokenPurpose(key.KeyId));
        }
        catch (CryptographicException)
        {
            throw KmsErrors.InvalidImportToken();
        }

        try
        {
            if (payload.Length < 10 || payload[8] >= WrappingAlgorithms.Length)
            {
                throw KmsErrors.InvalidImportToken();
            }

            if (DateTimeOffset.FromUnixTimeSeconds(BinaryPrimitives.ReadInt64BigEndian(payload)) <= time.GetUtcNow())
            {
                throw KmsErrors.ExpiredImportToken();
            }

            var material = KeyWrap.TryUnwrap(payload.AsSpan(9), WrappingAlgorithms[payload[8]], encryptedMaterial) ?? throw KmsErrors.InvalidCiphertext();
            var spec = KeySpecs.Of(key);
            var (min, max) = spec.Kind == KeyKind.Hmac ? (spec.Bits / 8, spec.Bits <= 256 ? 64 : 128) : (32, 32);
            if (material.Length < min || material.Length > max)
            {
                CryptographicOperations.ZeroMemory(material);
                throw KmsErrors.Validation($"Key material for a {key.KeySpec} key must be {min} to {max} bytes.");
            }

            return material;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(payload);
        }
    }

    /// <summary>A fingerprint of imported material under a key derived from the root key: it shows a reimport is the same material and tells nothing about it.</summary>
    private string Fingerprint(Guid keyId, byte[] material)
    {
        Span<byte> fingerprintKey = stackalloc byte[32];
        HKDF.DeriveKey(HashAlgorithmName.SHA256, keyring.Root.Bytes, fingerprintKey, [], Encoding.UTF8.GetBytes($"coffer-kms-import-fingerprint:{keyId:D}"));
        var mac = HMACSHA256.HashData(fingerprintKey, material);
        CryptographicOperations.ZeroMemory(fingerprintKey);
        return Convert.ToHexStringLower(mac);
    }

    private static string ImportTokenPurpose(Guid keyId) => $"kms-import-token:{keyId:D}";
}
