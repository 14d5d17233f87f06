using Coffer.Core.Crypto;

namespace Coffer.Core.Kms;

public sealed record PublicKeyResult(
    string KeyArn,
    byte[] PublicKey,
    string KeySpec,
    string KeyUsage,
    IReadOnlyList<string> EncryptionAlgorithms,
    IReadOnlyList<string> SigningAlgorithms,
    IReadOnlyList<string> KeyAgreementAlgorithms);

public sealed record SignResult(string KeyArn, byte[] Signature, string SigningAlgorithm);

/// <summary>GetPublicKey, Sign and Verify with asymmetric keys. The private key never leaves the server.</summary>
public sealed partial class KeyService
{
    public const string MessageTypeRaw = "RAW";
    public const string MessageTypeDigest = "DIGEST";

    public async Task<PublicKeyResult> GetPublicKeyAsync(Call call, string keyId, CancellationToken ct)
    {
        var key = await ResolveAsync(call, keyId, ct);
        var spec = KeySpecs.Of(key);
        await AuthorizeAsync(call, key, "kms:GetPublicKey", ct: ct);
        if (!spec.IsAsymmetric)
        {
            throw KmsErrors.Unsupported($"{key.Arn} is a {key.KeySpec} key: only asymmetric keys have a public key.");
        }

        RequireUsable(key);
        var material = await MaterialAsync(key, 1, ct);
        return new PublicKeyResult(
            key.Arn,
            KeyPairs.PublicKeyOf(material, spec.Kind == KeyKind.Rsa),
            key.KeySpec,
            key.KeyUsage,
            spec.EncryptionAlgorithms(key.KeyUsage),
            spec.SigningAlgorithms(key.KeyUsage),
            spec.KeyAgreementAlgorithms(key.KeyUsage));
    }

    public async Task<SignResult> SignAsync(Call call, string keyId, byte[] message, string? messageType, string algorithm, bool dryRun, CancellationToken ct)
    {
        var (key, signing, digest) = await PrepareSignatureAsync(call, keyId, message, messageType, algorithm, "Sign", ct);
        if (dryRun)
        {
            throw KmsErrors.DryRun();
        }

        var material = await MaterialAsync(key, 1, ct);
        return new SignResult(key.Arn, Signatures.Sign(material, signing, digest), algorithm);
    }

    /// <summary>Verifies a signature: the key's ARN when it is valid, KMSInvalidSignatureException when not.</summary>
    public async Task<string> VerifyAsync(Call call, string keyId, byte[] message, string? messageType, byte[] signature, string algorithm, bool dryRun, CancellationToken ct)
    {
        var (key, signing, digest) = await PrepareSignatureAsync(call, keyId, message, messageType, algorithm, "Verify", ct);
        if (dryRun)
        {
            throw KmsErrors.DryRun();
        }

        var material = await MaterialAsync(key, 1, ct);
        return Signatures.Verify(material, signing, digest, signature) ? key.Arn : throw KmsErrors.InvalidSignature();
    }

    /// <summary>What Sign and Verify share: the key (SIGN_VERIFY, usable, authorized), the algorithm, and the digest.</summary>
    private async Task<(KmsKey Key, SigningAlgorithm Algorithm, byte[] Digest)> PrepareSignatureAsync(
        Call call, string keyId, byte[] message, string? messageType, string algorithm, string operation, CancellationToken ct)
    {
        var type = messageType ?? MessageTypeRaw;
        var key = await ResolveAsync(call, keyId, ct);
        await AuthorizeAsync(call, key, "kms:" + operation, new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase)
        {
            ["kms:CallerAccount"] = [call.AccountId],
            ["kms:SigningAlgorithm"] = [algorithm],
            ["kms:MessageType"] = [type],
        }, ct: ct);
        var spec = RequireUsage(key, KeySpecs.SignVerify, operation);
        var allowed = spec.SigningAlgorithms(key.KeyUsage);
        var signing = allowed.Contains(algorithm) ? SigningAlgorithm.Find(algorithm) : null;
        if (signing is null)
        {
            throw KmsErrors.InvalidKeyUsage($"The signing algorithm {algorithm} is not valid for {key.Arn} ({key.KeySpec}); valid algorithms are {string.Join(", ", allowed)}.");
        }

        if (type is not (MessageTypeRaw or MessageTypeDigest))
        {
            throw KmsErrors.Validation($"MessageType {type} is valid only with ML-DSA keys; use RAW or DIGEST.");
        }

        if (type == MessageTypeDigest && message.Length != signing.DigestLength)
        {
            throw KmsErrors.Validation($"Digest is invalid length for algorithm {algorithm}.");
        }

        RequireUsable(key);
        return (key, signing, signing.Digest(message, type == MessageTypeDigest));
    }
}
