using Coffer.Server.Aws.Protocol;

namespace Coffer.Server.Aws.Kms;

public sealed record KeyPolicyRequest(string KeyId, string? PolicyName, string? Policy, bool? BypassPolicyLockoutSafetyCheck, int? Limit, string? Marker);

public sealed record GetKeyPolicyResponse(string Policy, string PolicyName);

public static class GetKeyPolicy
{
    public static JsonOperation Operation { get; } = JsonOperation.Create(
        "GetKeyPolicy", static () => KmsJson.Default.KeyPolicyRequest, static () => KmsJson.Default.GetKeyPolicyResponse,
        async (s, call, r, ct) => new GetKeyPolicyResponse(await s.Keys.GetKeyPolicyAsync(call, r.KeyId, r.PolicyName, ct), "default"));
}
