using Coffer.Server.Aws.Protocol;

namespace Coffer.Server.Aws.Kms;

public sealed record VerifyRequest(string KeyId, byte[] Message, string? MessageType, byte[] Signature, string SigningAlgorithm, List<string>? GrantTokens, bool? DryRun);

public sealed record VerifyResponse(string KeyId, bool SignatureValid, string SigningAlgorithm);

/// <summary>Verify: an invalid signature is KMSInvalidSignatureException, never SignatureValid false, as in AWS.</summary>
public static class Verify
{
    public static JsonOperation Operation { get; } = JsonOperation.Create(
        "Verify", static () => KmsJson.Default.VerifyRequest, static () => KmsJson.Default.VerifyResponse,
        async (s, call, r, ct) =>
        {
            var keyArn = await s.Keys.VerifyAsync(call, r.KeyId, r.Message, r.MessageType, r.Signature, r.SigningAlgorithm, r.DryRun == true, ct);
            return new VerifyResponse(keyArn, true, r.SigningAlgorithm);
        });
}
