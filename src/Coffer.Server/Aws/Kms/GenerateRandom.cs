using Coffer.Server.Aws.Protocol;

namespace Coffer.Server.Aws.Kms;

public sealed record GenerateRandomRequest(int? NumberOfBytes, string? CustomKeyStoreId);

public sealed record GenerateRandomResponse(byte[] Plaintext);

public static class GenerateRandom
{
    public static JsonOperation Operation { get; } = JsonOperation.Create(
        "GenerateRandom", static () => KmsJson.Default.GenerateRandomRequest, static () => KmsJson.Default.GenerateRandomResponse,
        async (s, call, r, ct) => new GenerateRandomResponse(await s.Keys.GenerateRandomAsync(call, r.NumberOfBytes, r.CustomKeyStoreId, ct)));
}
