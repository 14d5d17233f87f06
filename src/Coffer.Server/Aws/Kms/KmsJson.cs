using System.Text.Json.Serialization;
using Coffer.Core.Kms;
using Coffer.Server.Aws.Protocol;

namespace Coffer.Server.Aws.Kms;

/// <summary>The KMS wire shapes shared by several operations.</summary>
public sealed record KeyMetadata(
    string AWSAccountId,
    string KeyId,
    string Arn,
    DateTimeOffset CreationDate,
    bool Enabled,
    string Description,
    string KeyUsage,
    string KeyState,
    DateTimeOffset? DeletionDate,
    string Origin,
    string KeyManager,
    string CustomerMasterKeySpec,
    string KeySpec,
    IReadOnlyList<string>? EncryptionAlgorithms,
    IReadOnlyList<string>? SigningAlgorithms,
    IReadOnlyList<string>? KeyAgreementAlgorithms,
    IReadOnlyList<string>? MacAlgorithms,
    bool MultiRegion,
    MultiRegionConfiguration? MultiRegionConfiguration,
    int? PendingDeletionWindowInDays,
    string? CurrentKeyMaterialId,
    string? ExpirationModel,
    DateTimeOffset? ValidTo)
{
    public static KeyMetadata From(KmsKey key) => From(key, KeySpecs.Of(key));

    /// <summary>A list member that AWS leaves out when it has nothing to say.</summary>
    public static IReadOnlyList<string>? NullIfEmpty(IReadOnlyList<string> list) => list.Count == 0 ? null : list;

    private static KeyMetadata From(KmsKey key, KeySpecInfo spec) => new(
        key.AccountId,
        key.Id,
        key.Arn,
        key.CreationDate,
        key.State == Core.Kms.KeyState.Enabled,
        key.Description,
        key.KeyUsage,
        key.State.ToString(),
        key.DeletionDate,
        key.Origin,
        key.KeyManager,
        key.KeySpec,
        key.KeySpec,
        NullIfEmpty(spec.EncryptionAlgorithms(key.KeyUsage)),
        NullIfEmpty(spec.SigningAlgorithms(key.KeyUsage)),
        NullIfEmpty(spec.KeyAgreementAlgorithms(key.KeyUsage)),
        NullIfEmpty(spec.MacAlgorithms(key.KeyUsage)),
        key.MultiRegion,
        MultiRegionConfiguration.From(key),
        key.PendingDeletionWindowInDays,
        spec.Kind == KeyKind.Symmetric && key.State != Core.Kms.KeyState.PendingImport ? KeyService.KeyMaterialId(key.KeyId, key.CurrentMaterialVersion) : null,
        key.ExpirationModel,
        key.ValidTo);
}

/// <summary>A multi-Region key's primary and replicas, as DescribeKey shows them from any of them.</summary>
public sealed record MultiRegionConfiguration(string MultiRegionKeyType, MultiRegionKey PrimaryKey, IReadOnlyList<MultiRegionKey> ReplicaKeys)
{
    public static MultiRegionConfiguration? From(KmsKey key) => key is { MultiRegion: true, PrimaryRegion: { } primary }
        ? new(
            key.IsReplica ? "REPLICA" : "PRIMARY",
            new MultiRegionKey(KmsArns.Key(primary, key.AccountId, key.KeyId), primary),
            [.. key.ReplicaRegions.Select(r => new MultiRegionKey(KmsArns.Key(r, key.AccountId, key.KeyId), r))])
        : null;
}

public sealed record MultiRegionKey(string Arn, string Region);

public sealed record Tag(string TagKey, string TagValue);

public sealed record KeyIdRequest(string KeyId);

/// <summary>Source-generated serialization for every KMS request and response.</summary>
[JsonSourceGenerationOptions(
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters = [typeof(EpochSecondsConverter)])]
[JsonSerializable(typeof(Empty))]
[JsonSerializable(typeof(KeyIdRequest))]
[JsonSerializable(typeof(CreateKeyRequest))]
[JsonSerializable(typeof(KeyMetadataResponse))]
[JsonSerializable(typeof(DescribeKeyRequest))]
[JsonSerializable(typeof(ListKeysRequest))]
[JsonSerializable(typeof(ListKeysResponse))]
[JsonSerializable(typeof(EncryptRequest))]
[JsonSerializable(typeof(EncryptResponse))]
[JsonSerializable(typeof(DecryptRequest))]
[JsonSerializable(typeof(DecryptResponse))]
[JsonSerializable(typeof(ReEncryptRequest))]
[JsonSerializable(typeof(ReEncryptResponse))]
[JsonSerializable(typeof(GenerateDataKeyRequest))]
[JsonSerializable(typeof(GenerateDataKeyResponse))]
[JsonSerializable(typeof(GenerateRandomRequest))]
[JsonSerializable(typeof(GenerateRandomResponse))]
[JsonSerializable(typeof(AliasRequest))]
[JsonSerializable(typeof(ListAliasesRequest))]
[JsonSerializable(typeof(ListAliasesResponse))]
[JsonSerializable(typeof(ScheduleKeyDeletionRequest))]
[JsonSerializable(typeof(ScheduleKeyDeletionResponse))]
[JsonSerializable(typeof(KeyIdResponse))]
[JsonSerializable(typeof(UpdateKeyDescriptionRequest))]
[JsonSerializable(typeof(TagResourceRequest))]
[JsonSerializable(typeof(UntagResourceRequest))]
[JsonSerializable(typeof(ListResourceTagsRequest))]
[JsonSerializable(typeof(ListResourceTagsResponse))]
[JsonSerializable(typeof(KeyPolicyRequest))]
[JsonSerializable(typeof(GetKeyPolicyResponse))]
[JsonSerializable(typeof(ListKeyPoliciesResponse))]
[JsonSerializable(typeof(EnableKeyRotationRequest))]
[JsonSerializable(typeof(GetKeyRotationStatusResponse))]
[JsonSerializable(typeof(ListKeyRotationsRequest))]
[JsonSerializable(typeof(ListKeyRotationsResponse))]
[JsonSerializable(typeof(GetPublicKeyRequest))]
[JsonSerializable(typeof(GetPublicKeyResponse))]
[JsonSerializable(typeof(SignRequest))]
[JsonSerializable(typeof(SignResponse))]
[JsonSerializable(typeof(VerifyRequest))]
[JsonSerializable(typeof(VerifyResponse))]
[JsonSerializable(typeof(GenerateDataKeyPairRequest))]
[JsonSerializable(typeof(GenerateDataKeyPairResponse))]
[JsonSerializable(typeof(DeriveSharedSecretRequest))]
[JsonSerializable(typeof(DeriveSharedSecretResponse))]
[JsonSerializable(typeof(GenerateMacRequest))]
[JsonSerializable(typeof(GenerateMacResponse))]
[JsonSerializable(typeof(VerifyMacRequest))]
[JsonSerializable(typeof(VerifyMacResponse))]
[JsonSerializable(typeof(CreateGrantRequest))]
[JsonSerializable(typeof(CreateGrantResponse))]
[JsonSerializable(typeof(ListGrantsRequest))]
[JsonSerializable(typeof(ListRetirableGrantsRequest))]
[JsonSerializable(typeof(ListGrantsResponse))]
[JsonSerializable(typeof(RetireGrantRequest))]
[JsonSerializable(typeof(RevokeGrantRequest))]
[JsonSerializable(typeof(GetParametersForImportRequest))]
[JsonSerializable(typeof(GetParametersForImportResponse))]
[JsonSerializable(typeof(ImportKeyMaterialRequest))]
[JsonSerializable(typeof(DeleteImportedKeyMaterialRequest))]
[JsonSerializable(typeof(KeyMaterialResponse))]
[JsonSerializable(typeof(ReplicateKeyRequest))]
[JsonSerializable(typeof(ReplicateKeyResponse))]
[JsonSerializable(typeof(UpdatePrimaryRegionRequest))]
public sealed partial class KmsJson : JsonSerializerContext;
