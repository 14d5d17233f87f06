using Coffer.Server.Aws.Protocol;

namespace Coffer.Server.Aws.SecretsManager;

public sealed record BatchGetSecretValueRequest(List<string>? SecretIdList, List<Filter>? Filters, int? MaxResults, string? NextToken);

public sealed record ApiError(string SecretId, string ErrorCode, string Message);

public sealed record BatchGetSecretValueResponse(List<GetSecretValueResponse> SecretValues, string? NextToken, List<ApiError> Errors);

public static class BatchGetSecretValue
{
    public static JsonOperation Operation { get; } = JsonOperation.Create(
        "BatchGetSecretValue", static () => SecretsManagerJson.Default.BatchGetSecretValueRequest, static () => SecretsManagerJson.Default.BatchGetSecretValueResponse,
        async (s, call, r, ct) =>
        {
            var result = await s.Secrets.BatchGetSecretValueAsync(call, r.SecretIdList, Filter.ToDomain(r.Filters), r.MaxResults, r.NextToken, ct);
            return new BatchGetSecretValueResponse(
                [.. result.Values.Select(GetSecretValueResponse.From)],
                result.NextToken,
                [.. result.Errors.Select(e => new ApiError(e.SecretId, e.ErrorCode, e.Message))]);
        });
}
