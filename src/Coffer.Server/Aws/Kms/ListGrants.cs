using Coffer.Core.Kms;
using Coffer.Server.Aws.Protocol;

namespace Coffer.Server.Aws.Kms;

public sealed record ListGrantsRequest(int? Limit, string? Marker, string KeyId, string? GrantId, string? GranteePrincipal);

public sealed record ListRetirableGrantsRequest(int? Limit, string? Marker, string RetiringPrincipal);

public sealed record GrantListEntry(
    string KeyId,
    string GrantId,
    string? Name,
    DateTimeOffset CreationDate,
    string GranteePrincipal,
    string? RetiringPrincipal,
    string IssuingAccount,
    IReadOnlyList<string> Operations,
    GrantConstraintsShape? Constraints)
{
    public static GrantListEntry From(KmsGrant g) => new(
        g.KeyArn, g.GrantId, g.Name, g.CreationDate, g.GranteePrincipal, g.RetiringPrincipal, g.IssuingAccount, g.Operations, GrantConstraintsShape.From(g.Constraints));
}

public sealed record ListGrantsResponse(IReadOnlyList<GrantListEntry> Grants, string? NextMarker, bool Truncated)
{
    public static ListGrantsResponse From(Page<KmsGrant> page) => new([.. page.Items.Select(GrantListEntry.From)], page.NextMarker, page.Truncated);
}

public static class ListGrants
{
    public static JsonOperation Operation { get; } = JsonOperation.Create(
        "ListGrants", static () => KmsJson.Default.ListGrantsRequest, static () => KmsJson.Default.ListGrantsResponse,
        async (s, call, r, ct) => ListGrantsResponse.From(await s.Keys.ListGrantsAsync(call, r.KeyId, r.GrantId, r.GranteePrincipal, r.Limit, r.Marker, ct)));
}

public static class ListRetirableGrants
{
    public static JsonOperation Operation { get; } = JsonOperation.Create(
        "ListRetirableGrants", static () => KmsJson.Default.ListRetirableGrantsRequest, static () => KmsJson.Default.ListGrantsResponse,
        async (s, call, r, ct) => ListGrantsResponse.From(await s.Keys.ListRetirableGrantsAsync(call, r.RetiringPrincipal, r.Limit, r.Marker, ct)));
}
