using Coffer.Server.Aws.Protocol;

namespace Coffer.Server.Aws.Kms;

/// <summary>The KMS operations Coffer implements (X-Amz-Target <c>TrentService.NAME</c>).</summary>
public static class KmsOperations
{
    public static IReadOnlyList<JsonOperation> All { get; } =
    [
        CreateKey.Operation,
        DescribeKey.Operation,
        ListKeys.Operation,
        Encrypt.Operation,
        Decrypt.Operation,
        ReEncrypt.Operation,
        GenerateDataKey.Operation,
        GenerateDataKeyWithoutPlaintext.Operation,
        GenerateRandom.Operation,
        CreateAlias.Operation,
        UpdateAlias.Operation,
        DeleteAlias.Operation,
        ListAliases.Operation,
        EnableKey.Operation,
        DisableKey.Operation,
        ScheduleKeyDeletion.Operation,
        CancelKeyDeletion.Operation,
        UpdateKeyDescription.Operation,
        TagResource.Operation,
        UntagResource.Operation,
        ListResourceTags.Operation,
        GetKeyPolicy.Operation,
        PutKeyPolicy.Operation,
        ListKeyPolicies.Operation,
        EnableKeyRotation.Operation,
        DisableKeyRotation.Operation,
        GetKeyRotationStatus.Operation,
        RotateKeyOnDemand.Operation,
        ListKeyRotations.Operation,
        GetPublicKey.Operation,
        Sign.Operation,
        Verify.Operation,
        GenerateDataKeyPair.Operation,
        GenerateDataKeyPairWithoutPlaintext.Operation,
        DeriveSharedSecret.Operation,
        GenerateMac.Operation,
        VerifyMac.Operation,
        CreateGrant.Operation,
        ListGrants.Operation,
        ListRetirableGrants.Operation,
        RetireGrant.Operation,
        RevokeGrant.Operation,
        GetParametersForImport.Operation,
        ImportKeyMaterial.Operation,
        DeleteImportedKeyMaterial.Operation,
        ReplicateKey.Operation,
        UpdatePrimaryRegion.Operation,
    ];
}
