using System.Text.Json.Serialization;
using Coffer.Core.Kms;

namespace Coffer.Storage.Sql.Documents;

/// <summary><c>kms_keys.doc</c>. The id, ARN and flags derived from it are not stored (v0 wrote them; they are ignored).</summary>
internal sealed record KmsKeyDoc : IStoredDoc
{
    [JsonPropertyName("v")] public int V { get; set; } = StoredDoc.Current;
    [JsonPropertyName("KeyId")] public required Guid KeyId { get; init; }
    [JsonPropertyName("AccountId")] public required string AccountId { get; init; }
    [JsonPropertyName("Region")] public required string Region { get; init; }
    [JsonPropertyName("CreationDate")] public required DateTimeOffset CreationDate { get; init; }
    [JsonPropertyName("Description")] public string Description { get; set; } = "";
    [JsonPropertyName("KeyUsage")] public string KeyUsage { get; set; } = "ENCRYPT_DECRYPT";
    [JsonPropertyName("KeySpec")] public string KeySpec { get; set; } = "SYMMETRIC_DEFAULT";
    [JsonPropertyName("Origin")] public string Origin { get; set; } = "AWS_KMS";
    [JsonPropertyName("KeyManager")] public string KeyManager { get; set; } = "CUSTOMER";
    [JsonPropertyName("State")] public KeyState State { get; set; } = KeyState.Enabled;
    [JsonPropertyName("DeletionDate")] public DateTimeOffset? DeletionDate { get; init; }
    [JsonPropertyName("PendingDeletionWindowInDays")] public int? PendingDeletionWindowInDays { get; init; }
    [JsonPropertyName("Policy")] public required string Policy { get; init; }
    [JsonPropertyName("Tags")] public IReadOnlyList<TagDoc> Tags { get; set; } = [];
    [JsonPropertyName("RotationEnabled")] public bool RotationEnabled { get; init; }
    [JsonPropertyName("RotationPeriodInDays")] public int? RotationPeriodInDays { get; init; }
    [JsonPropertyName("NextRotationDate")] public DateTimeOffset? NextRotationDate { get; init; }
    [JsonPropertyName("OnDemandRotationStartDate")] public DateTimeOffset? OnDemandRotationStartDate { get; init; }
    [JsonPropertyName("CurrentMaterialVersion")] public int CurrentMaterialVersion { get; set; } = 1;
    [JsonPropertyName("Rotations")] public IReadOnlyList<KeyRotationDoc> Rotations { get; set; } = [];
    [JsonPropertyName("MaterialImported")] public bool MaterialImported { get; init; }
    [JsonPropertyName("ExpirationModel")] public string? ExpirationModel { get; init; }
    [JsonPropertyName("ValidTo")] public DateTimeOffset? ValidTo { get; init; }
    [JsonPropertyName("ImportedMaterialFingerprint")] public string? ImportedMaterialFingerprint { get; init; }
    [JsonPropertyName("PrimaryRegion")] public string? PrimaryRegion { get; init; }
    [JsonPropertyName("ReplicaRegions")] public IReadOnlyList<string> ReplicaRegions { get; set; } = [];

    public static string Write(KmsKey k) => StoredDoc.Write(
        new KmsKeyDoc
        {
            KeyId = k.KeyId, AccountId = k.AccountId, Region = k.Region, CreationDate = k.CreationDate, Description = k.Description,
            KeyUsage = k.KeyUsage, KeySpec = k.KeySpec, Origin = k.Origin, KeyManager = k.KeyManager, State = k.State,
            DeletionDate = k.DeletionDate, PendingDeletionWindowInDays = k.PendingDeletionWindowInDays, Policy = k.Policy, Tags = TagDoc.From(k.Tags),
            RotationEnabled = k.RotationEnabled, RotationPeriodInDays = k.RotationPeriodInDays, NextRotationDate = k.NextRotationDate,
            OnDemandRotationStartDate = k.OnDemandRotationStartDate, CurrentMaterialVersion = k.CurrentMaterialVersion,
            Rotations = [.. k.Rotations.Select(r => new KeyRotationDoc(r.MaterialVersion, r.RotationDate, r.RotationType))],
            MaterialImported = k.MaterialImported, ExpirationModel = k.ExpirationModel, ValidTo = k.ValidTo,
            ImportedMaterialFingerprint = k.ImportedMaterialFingerprint, PrimaryRegion = k.PrimaryRegion, ReplicaRegions = k.ReplicaRegions,
        },
        DocJson.Default.KmsKeyDoc);

    public static KmsKey Read(string json)
    {
        var d = StoredDoc.Read(json, DocJson.Default.KmsKeyDoc, "kms_keys");
        return new KmsKey
        {
            KeyId = d.KeyId, AccountId = d.AccountId, Region = d.Region, CreationDate = d.CreationDate, Description = d.Description,
            KeyUsage = d.KeyUsage, KeySpec = d.KeySpec, Origin = d.Origin, KeyManager = d.KeyManager, State = d.State,
            DeletionDate = d.DeletionDate, PendingDeletionWindowInDays = d.PendingDeletionWindowInDays, Policy = d.Policy, Tags = TagDoc.ToDomain(d.Tags),
            RotationEnabled = d.RotationEnabled, RotationPeriodInDays = d.RotationPeriodInDays, NextRotationDate = d.NextRotationDate,
            OnDemandRotationStartDate = d.OnDemandRotationStartDate, CurrentMaterialVersion = d.CurrentMaterialVersion,
            Rotations = [.. d.Rotations.Select(r => new KeyRotation(r.MaterialVersion, r.RotationDate, r.RotationType))],
            MaterialImported = d.MaterialImported, ExpirationModel = d.ExpirationModel, ValidTo = d.ValidTo,
            ImportedMaterialFingerprint = d.ImportedMaterialFingerprint, PrimaryRegion = d.PrimaryRegion, ReplicaRegions = d.ReplicaRegions,
        };
    }
}

internal sealed record KeyRotationDoc(
    [property: JsonPropertyName("MaterialVersion")] int MaterialVersion,
    [property: JsonPropertyName("RotationDate")] DateTimeOffset RotationDate,
    [property: JsonPropertyName("RotationType")] string RotationType);

/// <summary><c>kms_grants.doc</c>. The key's ARN is derived, not stored.</summary>
internal sealed record KmsGrantDoc : IStoredDoc
{
    [JsonPropertyName("v")] public int V { get; set; } = StoredDoc.Current;
    [JsonPropertyName("GrantId")] public required string GrantId { get; init; }
    [JsonPropertyName("KeyId")] public required Guid KeyId { get; init; }
    [JsonPropertyName("AccountId")] public required string AccountId { get; init; }
    [JsonPropertyName("Region")] public required string Region { get; init; }
    [JsonPropertyName("Name")] public string? Name { get; init; }
    [JsonPropertyName("CreationDate")] public required DateTimeOffset CreationDate { get; init; }
    [JsonPropertyName("GranteePrincipal")] public required string GranteePrincipal { get; init; }
    [JsonPropertyName("RetiringPrincipal")] public string? RetiringPrincipal { get; init; }
    [JsonPropertyName("IssuingAccount")] public required string IssuingAccount { get; init; }
    [JsonPropertyName("Operations")] public required IReadOnlyList<string> Operations { get; init; }
    [JsonPropertyName("Constraints")] public GrantConstraintsDoc? Constraints { get; init; }

    public static string Write(KmsGrant g) => StoredDoc.Write(
        new KmsGrantDoc
        {
            GrantId = g.GrantId, KeyId = g.KeyId, AccountId = g.AccountId, Region = g.Region, Name = g.Name, CreationDate = g.CreationDate,
            GranteePrincipal = g.GranteePrincipal, RetiringPrincipal = g.RetiringPrincipal, IssuingAccount = g.IssuingAccount, Operations = g.Operations,
            Constraints = g.Constraints is { } c ? new GrantConstraintsDoc(c.EncryptionContextSubset, c.EncryptionContextEquals) : null,
        },
        DocJson.Default.KmsGrantDoc);

    public static KmsGrant Read(string json)
    {
        var d = StoredDoc.Read(json, DocJson.Default.KmsGrantDoc, "kms_grants");
        return new KmsGrant
        {
            GrantId = d.GrantId, KeyId = d.KeyId, AccountId = d.AccountId, Region = d.Region, Name = d.Name, CreationDate = d.CreationDate,
            GranteePrincipal = d.GranteePrincipal, RetiringPrincipal = d.RetiringPrincipal, IssuingAccount = d.IssuingAccount, Operations = d.Operations,
            Constraints = d.Constraints is { } c ? new GrantConstraints(c.EncryptionContextSubset, c.EncryptionContextEquals) : null,
        };
    }
}

internal sealed record GrantConstraintsDoc(
    [property: JsonPropertyName("EncryptionContextSubset")] IReadOnlyDictionary<string, string>? EncryptionContextSubset,
    [property: JsonPropertyName("EncryptionContextEquals")] IReadOnlyDictionary<string, string>? EncryptionContextEquals);
