using Coffer.Server.Aws.Protocol;

namespace Coffer.Server.Aws.Kms;

public sealed record GetPublicKeyRequest(string KeyId, List<string>? GrantTokens);

public sealed record GetPublicKeyResponse(
    string KeyId,
    byte[] PublicKey,
    string CustomerMasterKeySpec,
    string KeySpec,
    string KeyUsage,
    IReadOnlyList<string>? EncryptionAlgorithms,
    IReadOnlyList<string>? SigningAlgorithms,
    IReadOnlyList<string>? KeyAgreementAlgorithms);

public static class GetPublicKey
{
    public static JsonOperation Operation { get; } = JsonOperation.Create(
        "GetPublicKey", static () => KmsJson.Default.GetPublicKeyRequest, static () => KmsJson.Default.GetPublicKeyResponse,
        async (s, call, r, ct) =>
        {
            var result = await s.Keys.GetPublicKeyAsync(call, r.KeyId, ct);
            return new GetPublicKeyResponse(
                result.KeyArn, result.PublicKey, result.KeySpec, result.KeySpec, result.KeyUsage,
                KeyMetadata.NullIfEmpty(result.EncryptionAlgorithms), KeyMetadata.NullIfEmpty(result.SigningAlgorithms), KeyMetadata.NullIfEmpty(result.KeyAgreementAlgorithms));
        });
}
