using Coffer.Server.Aws.Protocol;

namespace Coffer.Server.Aws.Kms;

public static class GenerateDataKeyWithoutPlaintext
{
    public static JsonOperation Operation { get; } = JsonOperation.Create(
        "GenerateDataKeyWithoutPlaintext", static () => KmsJson.Default.GenerateDataKeyRequest, static () => KmsJson.Default.GenerateDataKeyResponse,
        async (s, call, r, ct) =>
        {
            var result = await s.Keys.GenerateDataKeyAsync(call, r.KeyId, r.EncryptionContext, r.NumberOfBytes, r.KeySpec, withPlaintext: false, r.DryRun == true, ct);
            return new GenerateDataKeyResponse(result.CiphertextBlob, null, result.KeyArn, result.KeyMaterialId);
        });
}
