using Coffer.Server.Aws.Protocol;

namespace Coffer.Server.Aws.Kms;

public static class DeleteAlias
{
    public static JsonOperation Operation { get; } = JsonOperation.Create(
        "DeleteAlias", static () => KmsJson.Default.AliasRequest, static () => KmsJson.Default.Empty,
        async (s, call, r, ct) =>
        {
            await s.Keys.DeleteAliasAsync(call, r.AliasName, ct);
            return new Empty();
        });
}
