using Coffer.Core.Kms;
using Coffer.Server.Aws.Protocol;

namespace Coffer.Server.Aws.Kms;

public sealed record ListAliasesRequest(string? KeyId, int? Limit, string? Marker);

public sealed record AliasListEntry(string AliasName, string AliasArn, string? TargetKeyId, DateTimeOffset? CreationDate, DateTimeOffset? LastUpdatedDate);

public sealed record ListAliasesResponse(IReadOnlyList<AliasListEntry> Aliases, string? NextMarker, bool Truncated);

public static class ListAliases
{
    public static JsonOperation Operation { get; } = JsonOperation.Create(
        "ListAliases", static () => KmsJson.Default.ListAliasesRequest, static () => KmsJson.Default.ListAliasesResponse,
        async (s, call, r, ct) =>
        {
            var page = await s.Keys.ListAliasesAsync(call, r.KeyId, r.Limit, r.Marker, ct);
            return new ListAliasesResponse(
                [.. page.Items.Select(a => new AliasListEntry(a.AliasName, a.AliasArn, a.TargetKeyId is { } target ? KeyIds.Format(target) : null, a.CreationDate, a.LastUpdatedDate))],
                page.NextMarker,
                page.Truncated);
        });
}
