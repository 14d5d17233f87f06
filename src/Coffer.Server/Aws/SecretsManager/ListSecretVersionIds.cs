using Coffer.Server.Aws.Protocol;

namespace Coffer.Server.Aws.SecretsManager;

public sealed record ListSecretVersionIdsRequest(string SecretId, int? MaxResults, string? NextToken, bool? IncludeDeprecated);

public sealed record SecretVersionsListEntry(string VersionId, List<string> VersionStages, DateTimeOffset? LastAccessedDate, DateTimeOffset CreatedDate, List<string>? KmsKeyIds);

public sealed record ListSecretVersionIdsResponse(List<SecretVersionsListEntry> Versions, string? NextToken, string ARN, string Name);

public static class ListSecretVersionIds
{
    public static JsonOperation Operation { get; } = JsonOperation.Create(
        "ListSecretVersionIds", static () => SecretsManagerJson.Default.ListSecretVersionIdsRequest, static () => SecretsManagerJson.Default.ListSecretVersionIdsResponse,
        async (s, call, r, ct) =>
        {
            var (secret, page) = await s.Secrets.ListSecretVersionIdsAsync(call, r.SecretId, r.MaxResults, r.NextToken, r.IncludeDeprecated == true, ct);
            return new ListSecretVersionIdsResponse(
                [.. page.Items.Select(v => new SecretVersionsListEntry(v.VersionId, [.. v.Stages], v.LastAccessedDate, v.CreatedDate, v.KmsKeyArn is null ? null : [v.KmsKeyArn]))],
                page.NextMarker,
                secret.Arn,
                secret.Name);
        });
}
