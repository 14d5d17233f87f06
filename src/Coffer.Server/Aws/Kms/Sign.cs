using Coffer.Server.Aws.Protocol;

namespace Coffer.Server.Aws.Kms;

public sealed record SignRequest(string KeyId, byte[] Message, string? MessageType, List<string>? GrantTokens, string SigningAlgorithm, bool? DryRun);

public sealed record SignResponse(string KeyId, byte[] Signature, string SigningAlgorithm);

public static class Sign
{
    public static JsonOperation Operation { get; } = JsonOperation.Create(
        "Sign", static () => KmsJson.Default.SignRequest, static () => KmsJson.Default.SignResponse,
        async (s, call, r, ct) =>
        {
            var result = await s.Keys.SignAsync(call, r.KeyId, r.Message, r.MessageType, r.SigningAlgorithm, r.DryRun == true, ct);
            return new SignResponse(result.KeyArn, result.Signature, result.SigningAlgorithm);
        });
}
