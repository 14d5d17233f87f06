using Coffer.Server.Aws.Protocol;

namespace Coffer.Server.Aws.Kms;

public static class UpdateAlias
{
    public static JsonOperation Operation { get; } = JsonOperation.Create(
        "UpdateAlias", static () => KmsJson.Default.AliasRequest, static () => KmsJson.Default.Empty,
        async (s, call, r, ct) =>
        {
            await s.Keys.UpdateAliasAsync(call, r.AliasName, r.TargetKeyId!, ct);
            return new Empty();
        });
}
