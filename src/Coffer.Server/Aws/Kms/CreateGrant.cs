using Coffer.Core.Kms;
using Coffer.Server.Aws.Protocol;

namespace Coffer.Server.Aws.Kms;

public sealed record GrantConstraintsShape(Dictionary<string, string>? EncryptionContextSubset, Dictionary<string, string>? EncryptionContextEquals)
{
    public GrantConstraints ToDomain() => new(EncryptionContextSubset, EncryptionContextEquals);

    public static GrantConstraintsShape? From(GrantConstraints? constraints) => constraints is null
        ? null
        : new(constraints.EncryptionContextSubset?.ToDictionary(), constraints.EncryptionContextEquals?.ToDictionary());
}

public sealed record CreateGrantRequest(
    string KeyId,
    string GranteePrincipal,
    string? RetiringPrincipal,
    List<string> Operations,
    GrantConstraintsShape? Constraints,
    List<string>? GrantTokens,
    string? Name,
    bool? DryRun);

public sealed record CreateGrantResponse(string GrantToken, string GrantId);

public static class CreateGrant
{
    public static JsonOperation Operation { get; } = JsonOperation.Create(
        "CreateGrant", static () => KmsJson.Default.CreateGrantRequest, static () => KmsJson.Default.CreateGrantResponse,
        async (s, call, r, ct) =>
        {
            var result = await s.Keys.CreateGrantAsync(call, new CreateGrantInput(
                r.KeyId, r.GranteePrincipal, r.RetiringPrincipal, r.Operations, r.Constraints?.ToDomain(), r.Name, r.DryRun == true), ct);
            return new CreateGrantResponse(result.GrantToken, result.GrantId);
        });
}
