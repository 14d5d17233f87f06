using Coffer.Server.Aws.Protocol;

namespace Coffer.Server.Aws.Kms;

public sealed record ListKeysRequest(int? Limit, string? Marker);

public sealed record KeyListEntry(string KeyId, string KeyArn);

public sealed record ListKeysResponse(IReadOnlyList<KeyListEntry> Keys, string? NextMarker, bool Truncated);

public static class ListKeys
{
    public static JsonOperation Operation { get; } = JsonOperation.Create(
        "ListKeys", static () => KmsJson.Default.ListKeysRequest, static () => KmsJson.Default.ListKeysResponse,
        async (s, call, r, ct) =>
        {
            var page = await s.Keys.ListKeysAsync(call, r.Limit, r.Marker, ct);
            return new ListKeysResponse([.. page.Items.Select(k => new KeyListEntry(k.Id, k.Arn))], page.NextMarker, page.Truncated);
        });
}
