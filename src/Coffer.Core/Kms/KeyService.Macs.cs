using System.Security.Cryptography;
using Coffer.Core.Crypto;

namespace Coffer.Core.Kms;

public sealed record MacResult(string KeyArn, byte[] Mac, string MacAlgorithm);

/// <summary>GenerateMac and VerifyMac with HMAC keys (usage GENERATE_VERIFY_MAC). The key material never leaves the server.</summary>
public sealed partial class KeyService
{
    public async Task<MacResult> GenerateMacAsync(Call call, string keyId, byte[] message, string algorithm, bool dryRun, CancellationToken ct)
    {
        var key = await PrepareMacAsync(call, keyId, algorithm, "GenerateMac", ct);
        if (dryRun)
        {
            throw KmsErrors.DryRun();
        }

        return new MacResult(key.Arn, Mac(algorithm, await MaterialAsync(key, 1, ct), message), algorithm);
    }

    /// <summary>Verifies a MAC in constant time: the key's ARN when it is valid, KMSInvalidMacException when not.</summary>
    public async Task<string> VerifyMacAsync(Call call, string keyId, byte[] message, string algorithm, byte[] mac, bool dryRun, CancellationToken ct)
    {
        var key = await PrepareMacAsync(call, keyId, algorithm, "VerifyMac", ct);
        if (dryRun)
        {
            throw KmsErrors.DryRun();
        }

        var expected = Mac(algorithm, await MaterialAsync(key, 1, ct), message);
        return CryptographicOperations.FixedTimeEquals(expected, mac) ? key.Arn : throw KmsErrors.InvalidMac();
    }

    private async Task<KmsKey> PrepareMacAsync(Call call, string keyId, string algorithm, string operation, CancellationToken ct)
    {
        var key = await ResolveAsync(call, keyId, ct);
        await AuthorizeAsync(call, key, "kms:" + operation, new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase)
        {
            ["kms:CallerAccount"] = [call.AccountId],
            ["kms:MacAlgorithm"] = [algorithm],
        }, ct: ct);
        var spec = RequireUsage(key, KeySpecs.GenerateVerifyMac, operation);
        if (!spec.MacAlgorithms(key.KeyUsage).Contains(algorithm))
        {
            throw KmsErrors.InvalidKeyUsage($"The MAC algorithm {algorithm} is not valid for {key.Arn} ({key.KeySpec}); use {string.Join(", ", spec.MacAlgorithms(key.KeyUsage))}.");
        }

        RequireUsable(key);
        return key;
    }

    private static byte[] Mac(string algorithm, byte[] material, byte[] message) => algorithm switch
    {
        "HMAC_SHA_224" => Sha224.Hmac(material, message),
        "HMAC_SHA_256" => HMACSHA256.HashData(material, message),
        "HMAC_SHA_384" => HMACSHA384.HashData(material, message),
        "HMAC_SHA_512" => HMACSHA512.HashData(material, message),
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "not a MAC algorithm"),
    };
}
