using Coffer.Server.Aws.Protocol;

namespace Coffer.Server.Aws.Ssm;

public sealed record GetResourcePoliciesRequest(string ResourceArn, string? NextToken, int? MaxResults);

public sealed record ResourcePolicyEntry(string PolicyId, string PolicyHash, string Policy);

public sealed record GetResourcePoliciesResponse(IReadOnlyList<ResourcePolicyEntry> Policies, string? NextToken);

public static class GetResourcePolicies
{
    /// <summary>A parameter has few policies: one page holds them all, and a NextToken is never needed.</summary>
    public static JsonOperation Operation { get; } = JsonOperation.Create(
        "GetResourcePolicies", static () => SsmJson.Default.GetResourcePoliciesRequest, static () => SsmJson.Default.GetResourcePoliciesResponse,
        async (s, call, r, ct) => new GetResourcePoliciesResponse(
            [.. (await s.Parameters.GetResourcePoliciesAsync(call, r.ResourceArn, ct)).Select(p => new ResourcePolicyEntry(p.PolicyId, p.PolicyHash, p.Policy))], null));
}
