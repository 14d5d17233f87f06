using Coffer.Server.Aws.Protocol;

namespace Coffer.Server.Aws.Kms;

public sealed record GetParametersForImportRequest(string KeyId, string WrappingAlgorithm, string WrappingKeySpec);

public sealed record GetParametersForImportResponse(string KeyId, byte[] ImportToken, byte[] PublicKey, DateTimeOffset ParametersValidTo);

public static class GetParametersForImport
{
    public static JsonOperation Operation { get; } = JsonOperation.Create(
        "GetParametersForImport", static () => KmsJson.Default.GetParametersForImportRequest, static () => KmsJson.Default.GetParametersForImportResponse,
        async (s, call, r, ct) =>
        {
            var result = await s.Keys.GetParametersForImportAsync(call, r.KeyId, r.WrappingAlgorithm, r.WrappingKeySpec, ct);
            return new GetParametersForImportResponse(result.KeyArn, result.ImportToken, result.PublicKey, result.ParametersValidTo);
        });
}
