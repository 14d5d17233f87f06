using Coffer.Server.Aws.Protocol;

namespace Coffer.Server.Aws.Kms;

public sealed record DecryptRequest(
    byte[]? CiphertextBlob,
    Dictionary<string, string>? EncryptionContext,
    List<string>? GrantTokens,
    string? KeyId,
    string? EncryptionAlgorithm,
    bool? DryRun);

public sealed record DecryptResponse(string KeyId, byte[] Plaintext, string EncryptionAlgorithm, string? KeyMaterialId);

public static class Decrypt
{
    public static JsonOperation Operation { get; } = JsonOperation.Create(
        "Decrypt", static () => KmsJson.Default.DecryptRequest, static () => KmsJson.Default.DecryptResponse,
        async (s, call, r, ct) =>
        {
            if (r.CiphertextBlob is null)
            {
                throw Core.CommonErrors.Validation("1 validation error detected: Value null at 'ciphertextBlob' failed to satisfy constraint: Member must not be null");
            }

            var result = await s.Keys.DecryptAsync(call, r.CiphertextBlob, r.EncryptionContext, r.KeyId, r.EncryptionAlgorithm, r.DryRun == true, ct: ct);
            return new DecryptResponse(result.KeyArn, result.Plaintext, result.EncryptionAlgorithm, result.KeyMaterialId);
        });
}
