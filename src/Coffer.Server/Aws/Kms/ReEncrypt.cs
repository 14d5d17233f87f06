using Coffer.Server.Aws.Protocol;

namespace Coffer.Server.Aws.Kms;

public sealed record ReEncryptRequest(
    byte[]? CiphertextBlob,
    Dictionary<string, string>? SourceEncryptionContext,
    string? SourceKeyId,
    string DestinationKeyId,
    Dictionary<string, string>? DestinationEncryptionContext,
    string? SourceEncryptionAlgorithm,
    string? DestinationEncryptionAlgorithm,
    List<string>? GrantTokens,
    bool? DryRun);

public sealed record ReEncryptResponse(
    byte[] CiphertextBlob,
    string SourceKeyId,
    string KeyId,
    string SourceEncryptionAlgorithm,
    string DestinationEncryptionAlgorithm,
    string? SourceKeyMaterialId,
    string? DestinationKeyMaterialId);

public static class ReEncrypt
{
    public static JsonOperation Operation { get; } = JsonOperation.Create(
        "ReEncrypt", static () => KmsJson.Default.ReEncryptRequest, static () => KmsJson.Default.ReEncryptResponse,
        async (s, call, r, ct) =>
        {
            if (r.CiphertextBlob is null)
            {
                throw Core.CommonErrors.Validation("1 validation error detected: Value null at 'ciphertextBlob' failed to satisfy constraint: Member must not be null");
            }

            var result = await s.Keys.ReEncryptAsync(
                call, r.CiphertextBlob, r.SourceEncryptionContext, r.SourceKeyId, r.DestinationKeyId, r.DestinationEncryptionContext,
                r.SourceEncryptionAlgorithm, r.DestinationEncryptionAlgorithm, r.DryRun == true, ct);
            return new ReEncryptResponse(
                result.CiphertextBlob, result.SourceKeyArn, result.KeyArn, result.SourceEncryptionAlgorithm, result.DestinationEncryptionAlgorithm,
                result.SourceKeyMaterialId, result.DestinationKeyMaterialId);
        });
}
