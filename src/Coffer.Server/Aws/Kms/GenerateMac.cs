using Coffer.Server.Aws.Protocol;

namespace Coffer.Server.Aws.Kms;

public sealed record GenerateMacRequest(byte[] Message, string KeyId, string MacAlgorithm, List<string>? GrantTokens, bool? DryRun);

public sealed record GenerateMacResponse(byte[] Mac, string MacAlgorithm, string KeyId);

public static class GenerateMac
{
    public static JsonOperation Operation { get; } = JsonOperation.Create(
        "GenerateMac", static () => KmsJson.Default.GenerateMacRequest, static () => KmsJson.Default.GenerateMacResponse,
        async (s, call, r, ct) =>
        {
            var result = await s.Keys.GenerateMacAsync(call, r.KeyId, r.Message, r.MacAlgorithm, r.DryRun == true, ct);
            return new GenerateMacResponse(result.Mac, result.MacAlgorithm, result.KeyArn);
        });
}
