using Coffer.Server.Aws.Protocol;

namespace Coffer.Server.Aws.Kms;

public sealed record DeriveSharedSecretRequest(
    string KeyId,
    string KeyAgreementAlgorithm,
    byte[] PublicKey,
    List<string>? GrantTokens,
    bool? DryRun,
    RecipientInfo? Recipient);

public sealed record DeriveSharedSecretResponse(string KeyId, byte[] SharedSecret, string KeyAgreementAlgorithm, string KeyOrigin);

public static class DeriveSharedSecret
{
    public static JsonOperation Operation { get; } = JsonOperation.Create(
        "DeriveSharedSecret", static () => KmsJson.Default.DeriveSharedSecretRequest, static () => KmsJson.Default.DeriveSharedSecretResponse,
        async (s, call, r, ct) =>
        {
            if (r.Recipient is not null)
            {
                throw Core.Kms.KmsErrors.Unsupported("Recipient (Nitro Enclaves attestation) is not supported by Coffer.");
            }

            var result = await s.Keys.DeriveSharedSecretAsync(call, r.KeyId, r.KeyAgreementAlgorithm, r.PublicKey, r.DryRun == true, ct);
            return new DeriveSharedSecretResponse(result.KeyArn, result.SharedSecret, result.KeyAgreementAlgorithm, result.KeyOrigin);
        });
}
