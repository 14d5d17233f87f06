using Coffer.Server.Aws.Protocol;

namespace Coffer.Server.Aws.Kms;

public sealed record RecipientInfo(string? KeyEncryptionAlgorithm, byte[]? AttestationDocument);

public sealed record GenerateDataKeyPairRequest(
    Dictionary<string, string>? EncryptionContext,
    string KeyId,
    string KeyPairSpec,
    List<string>? GrantTokens,
    RecipientInfo? Recipient,
    bool? DryRun);

public sealed record GenerateDataKeyPairResponse(
    byte[] PrivateKeyCiphertextBlob,
    byte[]? PrivateKeyPlaintext,
    byte[] PublicKey,
    string KeyId,
    string KeyPairSpec,
    string? KeyMaterialId);

public static class GenerateDataKeyPair
{
    public static JsonOperation Operation { get; } = Create("GenerateDataKeyPair", withPlaintext: true);

    internal static JsonOperation Create(string name, bool withPlaintext) => JsonOperation.Create(
        name, static () => KmsJson.Default.GenerateDataKeyPairRequest, static () => KmsJson.Default.GenerateDataKeyPairResponse,
        async (s, call, r, ct) =>
        {
            if (r.Recipient is not null)
            {
                throw Core.Kms.KmsErrors.Unsupported("Recipient (Nitro Enclaves attestation) is not supported by Coffer.");
            }

            var result = await s.Keys.GenerateDataKeyPairAsync(call, r.KeyId, r.EncryptionContext, r.KeyPairSpec, withPlaintext, r.DryRun == true, ct);
            return new GenerateDataKeyPairResponse(
                result.PrivateKeyCiphertextBlob, result.PrivateKeyPlaintext, result.PublicKey, result.KeyArn, result.KeyPairSpec, result.KeyMaterialId);
        });
}

public static class GenerateDataKeyPairWithoutPlaintext
{
    public static JsonOperation Operation { get; } = GenerateDataKeyPair.Create("GenerateDataKeyPairWithoutPlaintext", withPlaintext: false);
}
