using Coffer.Server.Aws.Protocol;

namespace Coffer.Server.Aws.Kms;

public sealed record GenerateRandomRequest(int? NumberOfBytes, string? CustomKeyStoreId);

public sealed record GenerateRandomResponse(byte[] Plaintext);

public static class GenerateRandom
{
    public static JsonOperation Operation { get; } = JsonOperation.Create(
        "GenerateRandom", static () => KmsJson.Default.GenerateRandomRequest, static () => KmsJson.Default.GenerateRandomResponse,
        (s, call, r, ct) => Task.FromResult(new GenerateRandomResponse(s.Keys.GenerateRandom(call, r.NumberOfBytes, r.CustomKeyStoreId))));
}
