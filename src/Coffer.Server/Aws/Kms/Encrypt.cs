using Coffer.Server.Aws.Protocol;

namespace Coffer.Server.Aws.Kms;

public sealed record EncryptRequest(
    string KeyId,
    byte[] Plaintext,
    Dictionary<string, string>? EncryptionContext,
    List<string>? GrantTokens,
    string? EncryptionAlgorithm,
    bool? DryRun);

public sealed record EncryptResponse(byte[] CiphertextBlob, string KeyId, string EncryptionAlgorithm);

public static class Encrypt
{
    public static JsonOperation Operation { get; } = JsonOperation.Create(
        "Encrypt", static () => KmsJson.Default.EncryptRequest, static () => KmsJson.Default.EncryptResponse,
        async (s, call, r, ct) =>
        {
            var result = await s.Keys.EncryptAsync(call, r.KeyId, r.Plaintext, r.EncryptionContext, r.EncryptionAlgorithm, r.DryRun == true, ct: ct);
            return new EncryptResponse(result.CiphertextBlob, result.KeyArn, result.EncryptionAlgorithm);
        });
}
