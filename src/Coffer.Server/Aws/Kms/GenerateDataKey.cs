using Coffer.Server.Aws.Protocol;

namespace Coffer.Server.Aws.Kms;

public sealed record GenerateDataKeyRequest(
    string KeyId,
    Dictionary<string, string>? EncryptionContext,
    int? NumberOfBytes,
    string? KeySpec,
    List<string>? GrantTokens,
    bool? DryRun);

public sealed record GenerateDataKeyResponse(byte[] CiphertextBlob, byte[]? Plaintext, string KeyId, string? KeyMaterialId);

public static class GenerateDataKey
{
    public static JsonOperation Operation { get; } = JsonOperation.Create(
        "GenerateDataKey", static () => KmsJson.Default.GenerateDataKeyRequest, static () => KmsJson.Default.GenerateDataKeyResponse,
        async (s, call, r, ct) =>
        {
            var result = await s.Keys.GenerateDataKeyAsync(call, r.KeyId, r.EncryptionContext, r.NumberOfBytes, r.KeySpec, withPlaintext: true, r.DryRun == true, ct);
            return new GenerateDataKeyResponse(result.CiphertextBlob, result.Plaintext, result.KeyArn, result.KeyMaterialId);
        });
}
