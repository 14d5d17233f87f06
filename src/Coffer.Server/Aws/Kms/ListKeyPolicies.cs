using Coffer.Server.Aws.Protocol;

namespace Coffer.Server.Aws.Kms;

public sealed record ListKeyPoliciesResponse(IReadOnlyList<string> PolicyNames, string? NextMarker, bool Truncated);

public static class ListKeyPolicies
{
    public static JsonOperation Operation { get; } = JsonOperation.Create(
        "ListKeyPolicies", static () => KmsJson.Default.KeyPolicyRequest, static () => KmsJson.Default.ListKeyPoliciesResponse,
        async (s, call, r, ct) =>
        {
            var page = await s.Keys.ListKeyPoliciesAsync(call, r.KeyId, r.Limit, r.Marker, ct);
            return new ListKeyPoliciesResponse(page.Items, page.NextMarker, page.Truncated);
        });
}
