using Coffer.Core.Secrets;
using Coffer.Server.Aws.Protocol;

namespace Coffer.Server.Aws.SecretsManager;

public sealed record ListSecretsRequest(bool? IncludePlannedDeletion, int? MaxResults, string? NextToken, List<Filter>? Filters, string? SortOrder, string? SortBy);

public sealed record ListSecretsResponse(List<SecretDescription> SecretList, string? NextToken);

public static class ListSecrets
{
    public static JsonOperation Operation { get; } = JsonOperation.Create(
        "ListSecrets", static () => SecretsManagerJson.Default.ListSecretsRequest, static () => SecretsManagerJson.Default.ListSecretsResponse,
        async (s, call, r, ct) =>
        {
            var page = await s.Secrets.ListSecretsAsync(call, new ListSecretsInput(r.IncludePlannedDeletion == true, r.MaxResults, r.NextToken, Filter.ToDomain(r.Filters) ?? [], r.SortBy, r.SortOrder), ct);
            return new ListSecretsResponse([.. page.Items.Select(x => SecretDescription.From(x, listEntry: true))], page.NextMarker);
        });
}
