using Coffer.Server.Aws.Protocol;

namespace Coffer.Server.Aws.Kms;

public sealed record DescribeKeyRequest(string KeyId, List<string>? GrantTokens);

public static class DescribeKey
{
    public static JsonOperation Operation { get; } = JsonOperation.Create(
        "DescribeKey", static () => KmsJson.Default.DescribeKeyRequest, static () => KmsJson.Default.KeyMetadataResponse,
        async (s, call, r, ct) => new KeyMetadataResponse(KeyMetadata.From(await s.Keys.DescribeKeyAsync(call, r.KeyId, ct))));
}
