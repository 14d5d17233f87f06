namespace Coffer.Core.Kms;

public enum KeyState
{
    Enabled,
    Disabled,
    PendingDeletion,

    /// <summary>An EXTERNAL key with no key material imported (yet, or any more).</summary>
    PendingImport,

    /// <summary>A multi-Region primary scheduled for deletion while replicas remain; its window starts when the last is gone.</summary>
    PendingReplicaDeletion,
}

/// <summary>
/// A KMS key as stored: its metadata and the version of the key material that encrypts now.
/// The material itself lives apart, wrapped by the root key, one row per version.
/// </summary>
public sealed record KmsKey
{
    public required Guid KeyId { get; init; }

    public required string AccountId { get; init; }

    public required string Region { get; init; }

    public required DateTimeOffset CreationDate { get; init; }

    public string Description { get; init; } = "";

    public string KeyUsage { get; init; } = "ENCRYPT_DECRYPT";

    public string KeySpec { get; init; } = "SYMMETRIC_DEFAULT";

    public string Origin { get; init; } = "AWS_KMS";

    /// <summary><c>CUSTOMER</c>, or <c>AWS</c> for the keys behind <c>alias/aws/*</c>.</summary>
    public string KeyManager { get; init; } = "CUSTOMER";

    public KeyState State { get; init; } = KeyState.Enabled;

    public DateTimeOffset? DeletionDate { get; init; }

    public int? PendingDeletionWindowInDays { get; init; }

    public required string Policy { get; init; }

    public IReadOnlyList<ResourceTag> Tags { get; init; } = [];

    public bool RotationEnabled { get; init; }

    public int? RotationPeriodInDays { get; init; }

    public DateTimeOffset? NextRotationDate { get; init; }

    public DateTimeOffset? OnDemandRotationStartDate { get; init; }

    /// <summary>The material version that Encrypt uses; every earlier version still decrypts.</summary>
    public int CurrentMaterialVersion { get; init; } = 1;

    /// <summary>One entry per rotation, oldest first (the material made at creation is not a rotation).</summary>
    public IReadOnlyList<KeyRotation> Rotations { get; init; } = [];

    /// <summary>EXTERNAL keys: whether key material is imported now (not before the first import, nor after deletion or expiry).</summary>
    public bool MaterialImported { get; init; }

    /// <summary>EXTERNAL keys: <c>KEY_MATERIAL_EXPIRES</c> or <c>KEY_MATERIAL_DOES_NOT_EXPIRE</c>.</summary>
    public string? ExpirationModel { get; init; }

    /// <summary>EXTERNAL keys: when the imported material expires and is deleted.</summary>
    public DateTimeOffset? ValidTo { get; init; }

    /// <summary>EXTERNAL keys: a keyed fingerprint of the first imported material, so that a reimport must bring the same material.</summary>
    public string? ImportedMaterialFingerprint { get; init; }

    /// <summary>Multi-Region keys: the Region of the primary key (this key's own Region when it is the primary).</summary>
    public string? PrimaryRegion { get; init; }

    /// <summary>Multi-Region keys, on the primary only: the Regions of its replicas.</summary>
    public IReadOnlyList<string> ReplicaRegions { get; init; } = [];

    /// <summary>The key id as AWS writes it: a UUID, or <c>mrk-</c> and 32 hex digits for a multi-Region key.</summary>
    public string Id => KeyIds.Format(KeyId);

    public bool MultiRegion => KeyIds.IsMultiRegion(KeyId);

    /// <summary>A multi-Region key that is not the primary.</summary>
    public bool IsReplica => MultiRegion && PrimaryRegion != Region;

    public string Arn => _arn.Get((Region, AccountId, KeyId), static k => KmsArns.Key(k.Item1, k.Item2, k.Item3));

    public bool IsAwsManaged => KeyManager == "AWS";

    private DerivedText<(string, string, Guid)> _arn;
}

public sealed record KeyRotation(int MaterialVersion, DateTimeOffset RotationDate, string RotationType);

public sealed record ResourceTag(string Key, string Value);

public sealed record KmsAlias(string AccountId, string Region, string AliasName, Guid TargetKeyId, DateTimeOffset CreationDate, DateTimeOffset LastUpdatedDate)
{
    public string Arn => Aws.Arn.For("kms", Region, AccountId, AliasName).ToString();
}

public static class KmsArns
{
    public static string Key(string region, string account, Guid keyId) =>
        Aws.Arn.For("kms", region, account, "key/" + KeyIds.Format(keyId)).ToString();
}
