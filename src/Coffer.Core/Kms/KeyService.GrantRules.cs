using System.Buffers.Text;
using System.Security.Cryptography;

namespace Coffer.Core.Kms;

/// <summary>The operations a grant may name, and which of them each kind of key allows (AWS's rules).</summary>
public static class GrantOperations
{
    private static readonly string[] Common = ["CreateGrant", "RetireGrant", "DescribeKey"];

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal)
    {
        "Decrypt", "Encrypt", "GenerateDataKey", "GenerateDataKeyWithoutPlaintext", "ReEncryptFrom", "ReEncryptTo",
        "Sign", "Verify", "GetPublicKey", "CreateGrant", "RetireGrant", "DescribeKey", "GenerateDataKeyPair",
        "GenerateDataKeyPairWithoutPlaintext", "GenerateMac", "VerifyMac", "DeriveSharedSecret",
    };

    /// <summary>The grant operations valid for a key of this spec and usage.</summary>
    public static IReadOnlySet<string> For(KmsKey key)
    {
        string[] specific = (KeySpecs.Of(key).Kind, key.KeyUsage) switch
        {
            (KeyKind.Symmetric, _) =>
            [
                "Decrypt", "Encrypt", "GenerateDataKey", "GenerateDataKeyWithoutPlaintext", "ReEncryptFrom", "ReEncryptTo",
                "GenerateDataKeyPair", "GenerateDataKeyPairWithoutPlaintext",
            ],
            (KeyKind.Hmac, _) => ["GenerateMac", "VerifyMac"],
            (_, KeySpecs.EncryptDecrypt) => ["Decrypt", "Encrypt", "ReEncryptFrom", "ReEncryptTo", "GetPublicKey"],
            (_, KeySpecs.SignVerify) => ["Sign", "Verify", "GetPublicKey"],
            _ => ["DeriveSharedSecret", "GetPublicKey"],
        };
        return new HashSet<string>([.. Common, .. specific], StringComparer.Ordinal);
    }
}

/// <summary>
/// Grant tokens: opaque to clients; here they name the key and the grant, with random bytes so each is unique.
/// A token starts with a format byte (1), so its text starts with "A" as AWS's do: a token may be passed as a
/// command-line argument, and one starting with "-" (one in 64 of the unprefixed form) is taken for an option.
/// Tokens issued before the format byte (64 bytes, no prefix) are still read.
/// </summary>
internal static class GrantTokens
{
    private const byte Format = 1;
    private const int BodyLength = 16 + 32 + 16;

    public static string Issue(KmsGrant grant)
    {
        var bytes = new byte[1 + BodyLength];
        bytes[0] = Format;
        var body = bytes.AsSpan(1);
        grant.KeyId.TryWriteBytes(body[..16], bigEndian: true, out _);
        Convert.FromHexString(grant.GrantId).CopyTo(body[16..]);
        RandomNumberGenerator.Fill(body[48..]);
        return Base64Url.EncodeToString(bytes);
    }

    public static (Guid KeyId, string GrantId)? Read(string token)
    {
        if (!Base64Url.IsValid(token, out var length) || length is not (BodyLength or BodyLength + 1))
        {
            return null;
        }

        var bytes = new byte[length];
        if (Base64Url.DecodeFromChars(token, bytes) != length || (length == BodyLength + 1 && bytes[0] != Format))
        {
            return null;
        }

        var body = bytes.AsSpan(length - BodyLength);
        return (new Guid(body[..16], bigEndian: true), Convert.ToHexStringLower(body.Slice(16, 32)));
    }
}

public sealed partial class KeyService
{
    /// <summary>The key of a grant operation: a key id or key ARN, as AWS requires (an alias is refused).</summary>
    private async Task<KmsKey> ResolveGrantKeyAsync(Call call, string keyId, CancellationToken ct)
    {
        if (keyId.StartsWith("alias/", StringComparison.Ordinal) || (keyId.StartsWith("arn:", StringComparison.Ordinal) && keyId.Contains(":alias/", StringComparison.Ordinal)))
        {
            throw KmsErrors.Validation($"KeyId '{keyId}' must be a key id or key ARN: grants do not take an alias.");
        }

        return await ResolveAsync(call, keyId, ct);
    }

    private static void RequireGrantPrincipal(string principal)
    {
        var isArn = principal.StartsWith("arn:", StringComparison.Ordinal) && Aws.Arn.TryParse(principal, out var arn) && arn.Value.Service is "iam" or "sts";
        if (!isArn && !principal.EndsWith(".amazonaws.com", StringComparison.Ordinal))
        {
            throw KmsErrors.InvalidArn(principal);
        }
    }

    private static void RequireGrantOperations(KmsKey key, IReadOnlyList<string> operations, GrantConstraints? constraints)
    {
        var valid = GrantOperations.For(key);
        if (operations.FirstOrDefault(o => !valid.Contains(o)) is { } invalid)
        {
            throw KmsErrors.Validation($"Grant operation {invalid} is not valid for {key.Arn} ({key.KeySpec}, {key.KeyUsage}); valid operations are {string.Join(", ", valid.Order(StringComparer.Ordinal))}.");
        }

        if (constraints is not null && key.KeySpec != KeySpecs.SymmetricDefault)
        {
            throw KmsErrors.Validation("Encryption context grant constraints are valid only for symmetric encryption KMS keys.");
        }
    }

    /// <summary>CreateGrant's condition keys: kms:GranteePrincipal, kms:RetiringPrincipal, kms:GrantOperations, kms:GrantConstraintType, kms:GrantIsForAWSResource.</summary>
    private static Dictionary<string, IReadOnlyList<string>> CreateGrantConditions(Call call, CreateGrantInput input)
    {
        var keys = new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase)
        {
            ["kms:CallerAccount"] = [call.AccountId],
            ["kms:GranteePrincipal"] = [input.GranteePrincipal],
            ["kms:GrantOperations"] = [.. input.Operations],
            ["kms:GrantIsForAWSResource"] = ["false"],
        };
        if (input.RetiringPrincipal is not null)
        {
            keys["kms:RetiringPrincipal"] = [input.RetiringPrincipal];
        }

        var types = new List<string>();
        if (input.Constraints?.EncryptionContextEquals is { Count: > 0 })
        {
            types.Add("EncryptionContextEquals");
        }

        if (input.Constraints?.EncryptionContextSubset is { Count: > 0 })
        {
            types.Add("EncryptionContextSubset");
        }

        if (types.Count > 0)
        {
            keys["kms:GrantConstraintType"] = types;
        }

        return keys;
    }
}
