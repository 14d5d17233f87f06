using Coffer.Core.Kms;
using Coffer.Server.Aws.Protocol;

namespace Coffer.Server.Aws.Kms;

public sealed record ImportKeyMaterialRequest(
    string KeyId,
    byte[] ImportToken,
    byte[] EncryptedKeyMaterial,
    DateTimeOffset? ValidTo,
    string? ExpirationModel,
    string? ImportType,
    string? KeyMaterialDescription,
    string? KeyMaterialId);

public sealed record KeyMaterialResponse(string KeyId, string KeyMaterialId);

public static class ImportKeyMaterial
{
    public static JsonOperation Operation { get; } = JsonOperation.Create(
        "ImportKeyMaterial", static () => KmsJson.Default.ImportKeyMaterialRequest, static () => KmsJson.Default.KeyMaterialResponse,
        async (s, call, r, ct) =>
        {
            var key = await s.Keys.ImportKeyMaterialAsync(call, r.KeyId, r.ImportToken, r.EncryptedKeyMaterial, r.ValidTo, r.ExpirationModel, r.ImportType, ct);
            return new KeyMaterialResponse(key.Arn, KeyService.KeyMaterialId(key.KeyId, 1));
        });
}

public sealed record DeleteImportedKeyMaterialRequest(string KeyId, string? KeyMaterialId);

public static class DeleteImportedKeyMaterial
{
    public static JsonOperation Operation { get; } = JsonOperation.Create(
        "DeleteImportedKeyMaterial", static () => KmsJson.Default.DeleteImportedKeyMaterialRequest, static () => KmsJson.Default.KeyMaterialResponse,
        async (s, call, r, ct) =>
        {
            var key = await s.Keys.DeleteImportedKeyMaterialAsync(call, r.KeyId, ct);
            return new KeyMaterialResponse(key.Arn, KeyService.KeyMaterialId(key.KeyId, 1));
        });
}
