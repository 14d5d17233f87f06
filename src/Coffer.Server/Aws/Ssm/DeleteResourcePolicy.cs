using Coffer.Server.Aws.Protocol;

namespace Coffer.Server.Aws.Ssm;

public sealed record DeleteResourcePolicyRequest(string ResourceArn, string PolicyId, string PolicyHash);

public static class DeleteResourcePolicy
{
    public static JsonOperation Operation { get; } = JsonOperation.Create(
        "DeleteResourcePolicy", static () => SsmJson.Default.DeleteResourcePolicyRequest, static () => SsmJson.Default.Empty,
        async (s, call, r, ct) =>
        {
            await s.Parameters.DeleteResourcePolicyAsync(call, r.ResourceArn, r.PolicyId, r.PolicyHash, ct);
            return new Empty();
        });
}
