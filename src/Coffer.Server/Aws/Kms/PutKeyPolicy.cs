using Coffer.Server.Aws.Protocol;

namespace Coffer.Server.Aws.Kms;

public static class PutKeyPolicy
{
    public static JsonOperation Operation { get; } = JsonOperation.Create(
        "PutKeyPolicy", static () => KmsJson.Default.KeyPolicyRequest, static () => KmsJson.Default.Empty,
        async (s, call, r, ct) =>
        {
            await s.Keys.PutKeyPolicyAsync(call, r.KeyId, r.PolicyName, r.Policy!, r.BypassPolicyLockoutSafetyCheck == true, ct);
            return new Empty();
        });
}
