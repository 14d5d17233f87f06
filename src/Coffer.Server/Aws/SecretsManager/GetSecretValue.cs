using Coffer.Core.Secrets;
using Coffer.Server.Aws.Protocol;

namespace Coffer.Server.Aws.SecretsManager;

public sealed record GetSecretValueRequest(string SecretId, string? VersionId, string? VersionStage);

public sealed record GetSecretValueResponse(string ARN, string Name, string VersionId, byte[]? SecretBinary, string? SecretString, List<string> VersionStages, DateTimeOffset CreatedDate)
{
    public static GetSecretValueResponse From(SecretValueResult v) =>
        new(v.Arn, v.Name, v.VersionId, v.Value.Binary, v.Value.Text, [.. v.Stages], v.CreatedDate);
}

public static class GetSecretValue
{
    public static JsonOperation Operation { get; } = JsonOperation.Create(
        "GetSecretValue", static () => SecretsManagerJson.Default.GetSecretValueRequest, static () => SecretsManagerJson.Default.GetSecretValueResponse,
        async (s, call, r, ct) => GetSecretValueResponse.From(await s.Secrets.GetSecretValueAsync(call, r.SecretId, r.VersionId, r.VersionStage, ct)));
}
