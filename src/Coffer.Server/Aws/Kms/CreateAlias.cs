using Coffer.Server.Aws.Protocol;

namespace Coffer.Server.Aws.Kms;

public sealed record AliasRequest(string AliasName, string? TargetKeyId);

public static class CreateAlias
{
    public static JsonOperation Operation { get; } = JsonOperation.Create(
        "CreateAlias", static () => KmsJson.Default.AliasRequest, static () => KmsJson.Default.Empty,
        async (s, call, r, ct) =>
        {
            await s.Keys.CreateAliasAsync(call, r.AliasName, r.TargetKeyId!, ct);
            return new Empty();
        });
}
