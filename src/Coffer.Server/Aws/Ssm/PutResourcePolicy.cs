using Coffer.Server.Aws.Protocol;

namespace Coffer.Server.Aws.Ssm;

public sealed record PutResourcePolicyRequest(string ResourceArn, string Policy, string? PolicyId, string? PolicyHash);

public sealed record PutResourcePolicyResponse(string PolicyId, string PolicyHash);

public static class PutResourcePolicy
{
    public static JsonOperation Operation { get; } = JsonOperation.Create(
        "PutResourcePolicy", static () => SsmJson.Default.PutResourcePolicyRequest, static () => SsmJson.Default.PutResourcePolicyResponse,
        async (s, call, r, ct) =>
        {
            var policy = await s.Parameters.PutResourcePolicyAsync(call, r.ResourceArn, r.Policy, r.PolicyId, r.PolicyHash, ct);
            return new PutResourcePolicyResponse(policy.PolicyId, policy.PolicyHash);
        });
}
