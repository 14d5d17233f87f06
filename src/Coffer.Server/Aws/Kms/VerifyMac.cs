using Coffer.Server.Aws.Protocol;

namespace Coffer.Server.Aws.Kms;

public sealed record VerifyMacRequest(byte[] Message, string KeyId, string MacAlgorithm, byte[] Mac, List<string>? GrantTokens, bool? DryRun);

public sealed record VerifyMacResponse(string KeyId, bool MacValid, string MacAlgorithm);

/// <summary>VerifyMac: a MAC that does not match is KMSInvalidMacException, never MacValid false, as in AWS.</summary>
public static class VerifyMac
{
    public static JsonOperation Operation { get; } = JsonOperation.Create(
        "VerifyMac", static () => KmsJson.Default.VerifyMacRequest, static () => KmsJson.Default.VerifyMacResponse,
        async (s, call, r, ct) =>
        {
            var keyArn = await s.Keys.VerifyMacAsync(call, r.KeyId, r.Message, r.MacAlgorithm, r.Mac, r.DryRun == true, ct);
            return new VerifyMacResponse(keyArn, true, r.MacAlgorithm);
        });
}
