using Coffer.Server.Aws.Protocol;

namespace Coffer.Server.Aws.Kms;

public sealed record RetireGrantRequest(string? GrantToken, string? KeyId, string? GrantId, bool? DryRun);

public sealed record RevokeGrantRequest(string KeyId, string GrantId, bool? DryRun);

public static class RetireGrant
{
    public static JsonOperation Operation { get; } = JsonOperation.Create(
        "RetireGrant", static () => KmsJson.Default.RetireGrantRequest, static () => KmsJson.Default.Empty,
        async (s, call, r, ct) =>
        {
            await s.Keys.RetireGrantAsync(call, r.GrantToken, r.KeyId, r.GrantId, r.DryRun == true, ct);
            return new Empty();
        });
}

public static class RevokeGrant
{
    public static JsonOperation Operation { get; } = JsonOperation.Create(
        "RevokeGrant", static () => KmsJson.Default.RevokeGrantRequest, static () => KmsJson.Default.Empty,
        async (s, call, r, ct) =>
        {
            await s.Keys.RevokeGrantAsync(call, r.KeyId, r.GrantId, r.DryRun == true, ct);
            return new Empty();
        });
}
