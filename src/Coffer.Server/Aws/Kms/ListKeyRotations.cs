using Coffer.Server.Aws.Protocol;

namespace Coffer.Server.Aws.Kms;

public sealed record ListKeyRotationsRequest(string KeyId, string? IncludeKeyMaterial, int? Limit, string? Marker);

public sealed record RotationsListEntry(string KeyId, string KeyMaterialId, string KeyMaterialState, string ExpirationModel, DateTimeOffset? RotationDate, string? RotationType);

public sealed record ListKeyRotationsResponse(IReadOnlyList<RotationsListEntry> Rotations, string? NextMarker, bool Truncated);

public static class ListKeyRotations
{
    public static JsonOperation Operation { get; } = JsonOperation.Create(
        "ListKeyRotations", static () => KmsJson.Default.ListKeyRotationsRequest, static () => KmsJson.Default.ListKeyRotationsResponse,
        async (s, call, r, ct) =>
        {
            var page = await s.Keys.ListKeyRotationsAsync(call, r.KeyId, r.IncludeKeyMaterial, r.Limit, r.Marker, ct);
            return new ListKeyRotationsResponse(
                [.. page.Items.Select(e => new RotationsListEntry(e.KeyArn, e.KeyMaterialId, e.Current ? "CURRENT" : "NON_CURRENT", "KEY_MATERIAL_DOES_NOT_EXPIRE", e.RotationDate, e.RotationType))],
                page.NextMarker,
                page.Truncated);
        });
}
