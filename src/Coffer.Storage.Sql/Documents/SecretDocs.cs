using System.Text.Json.Serialization;
using Coffer.Core.Functions;
using Coffer.Core.Secrets;

namespace Coffer.Storage.Sql.Documents;

/// <summary><c>secrets.doc</c>: metadata and the versions' labels, never a value. The ARNs and flags
/// derived from it (and <c>PendingRotation</c>, a copy of a version) are not stored.</summary>
internal sealed record SecretDoc : IStoredDoc
{
    [JsonPropertyName("v")] public int V { get; set; } = StoredDoc.Current;
    [JsonPropertyName("AccountId")] public required string AccountId { get; init; }
    [JsonPropertyName("Region")] public required string Region { get; init; }
    [JsonPropertyName("Name")] public required string Name { get; init; }
    [JsonPropertyName("Suffix")] public required string Suffix { get; init; }
    [JsonPropertyName("Description")] public string? Description { get; init; }
    [JsonPropertyName("KmsKeyId")] public string? KmsKeyId { get; init; }
    [JsonPropertyName("CreatedDate")] public required DateTimeOffset CreatedDate { get; init; }
    [JsonPropertyName("LastChangedDate")] public required DateTimeOffset LastChangedDate { get; init; }
    [JsonPropertyName("LastAccessedDate")] public DateTimeOffset? LastAccessedDate { get; init; }
    [JsonPropertyName("DeletedDate")] public DateTimeOffset? DeletedDate { get; init; }
    [JsonPropertyName("DeletionDate")] public DateTimeOffset? DeletionDate { get; init; }
    [JsonPropertyName("Tags")] public IReadOnlyList<TagDoc> Tags { get; set; } = [];
    [JsonPropertyName("ResourcePolicy")] public string? ResourcePolicy { get; init; }
    [JsonPropertyName("RotationEnabled")] public bool? RotationEnabled { get; init; }
    [JsonPropertyName("RotationLambdaArn")] public string? RotationLambdaArn { get; init; }
    [JsonPropertyName("RotationRules")] public RotationRulesDoc? RotationRules { get; init; }
    [JsonPropertyName("LastRotatedDate")] public DateTimeOffset? LastRotatedDate { get; init; }
    [JsonPropertyName("NextRotation")] public RotationWindowDoc? NextRotation { get; init; }
    [JsonPropertyName("Versions")] public IReadOnlyList<SecretVersionDoc> Versions { get; set; } = [];
    [JsonPropertyName("PrimaryRegion")] public string? PrimaryRegion { get; init; }
    [JsonPropertyName("Replicas")] public IReadOnlyList<SecretReplicaDoc> Replicas { get; set; } = [];

    public static string Write(Secret s) => StoredDoc.Write(
        new SecretDoc
        {
            AccountId = s.AccountId, Region = s.Region, Name = s.Name, Suffix = s.Suffix, Description = s.Description, KmsKeyId = s.KmsKeyId,
            CreatedDate = s.CreatedDate, LastChangedDate = s.LastChangedDate, LastAccessedDate = s.LastAccessedDate, DeletedDate = s.DeletedDate,
            DeletionDate = s.DeletionDate, Tags = TagDoc.From(s.Tags), ResourcePolicy = s.ResourcePolicy, RotationEnabled = s.RotationEnabled,
            RotationLambdaArn = s.RotationLambdaArn,
            RotationRules = s.RotationRules is { } r ? new RotationRulesDoc(r.AutomaticallyAfterDays, r.Duration, r.ScheduleExpression) : null,
            LastRotatedDate = s.LastRotatedDate,
            NextRotation = s.NextRotation is { } w ? new RotationWindowDoc(w.Start, w.End) : null,
            Versions = [.. s.Versions.Select(v => new SecretVersionDoc(v.VersionId, v.CreatedDate, v.Stages, v.Kind, v.KmsKeyArn, v.LastAccessedDate))],
            PrimaryRegion = s.PrimaryRegion,
            Replicas = [.. s.Replicas.Select(r => new SecretReplicaDoc(r.Region, r.KmsKeyId, r.Status, r.StatusMessage))],
        },
        DocJson.Default.SecretDoc);

    public static Secret Read(string json)
    {
        var d = StoredDoc.Read(json, DocJson.Default.SecretDoc, "secrets");
        return new Secret
        {
            AccountId = d.AccountId, Region = d.Region, Name = d.Name, Suffix = d.Suffix, Description = d.Description, KmsKeyId = d.KmsKeyId,
            CreatedDate = d.CreatedDate, LastChangedDate = d.LastChangedDate, LastAccessedDate = d.LastAccessedDate, DeletedDate = d.DeletedDate,
            DeletionDate = d.DeletionDate, Tags = TagDoc.ToDomain(d.Tags), ResourcePolicy = d.ResourcePolicy, RotationEnabled = d.RotationEnabled,
            RotationLambdaArn = d.RotationLambdaArn,
            RotationRules = d.RotationRules is { } r ? new RotationRules(r.AutomaticallyAfterDays, r.Duration, r.ScheduleExpression) : null,
            LastRotatedDate = d.LastRotatedDate,
            NextRotation = d.NextRotation is { } w ? new RotationWindow(w.Start, w.End) : null,
            Versions = [.. d.Versions.Select(v => new SecretVersion(v.VersionId, v.CreatedDate, v.Stages) { Kind = v.Kind, KmsKeyArn = v.KmsKeyArn, LastAccessedDate = v.LastAccessedDate })],
            PrimaryRegion = d.PrimaryRegion,
            Replicas = [.. d.Replicas.Select(r => new SecretReplica(r.Region, r.KmsKeyId, r.Status, r.StatusMessage))],
        };
    }
}

/// <summary>A secret's version: its id, labels and what kind of value it has (the value lives in <c>secret_values</c>).</summary>
internal sealed record SecretVersionDoc(
    [property: JsonPropertyName("VersionId")] string VersionId,
    [property: JsonPropertyName("CreatedDate")] DateTimeOffset CreatedDate,
    [property: JsonPropertyName("Stages")] IReadOnlyList<string> Stages,
    [property: JsonPropertyName("Kind")] SecretValueKind? Kind,
    [property: JsonPropertyName("KmsKeyArn")] string? KmsKeyArn,
    [property: JsonPropertyName("LastAccessedDate")] DateTimeOffset? LastAccessedDate);

internal sealed record RotationRulesDoc(
    [property: JsonPropertyName("AutomaticallyAfterDays")] long? AutomaticallyAfterDays,
    [property: JsonPropertyName("Duration")] string? Duration,
    [property: JsonPropertyName("ScheduleExpression")] string? ScheduleExpression);

internal sealed record RotationWindowDoc([property: JsonPropertyName("Start")] DateTimeOffset Start, [property: JsonPropertyName("End")] DateTimeOffset End);

internal sealed record SecretReplicaDoc(
    [property: JsonPropertyName("Region")] string Region,
    [property: JsonPropertyName("KmsKeyId")] string? KmsKeyId,
    [property: JsonPropertyName("Status")] string Status,
    [property: JsonPropertyName("StatusMessage")] string StatusMessage);

/// <summary><c>functions.doc</c>. The ARN is derived, not stored.</summary>
internal sealed record FunctionDoc : IStoredDoc
{
    [JsonPropertyName("v")] public int V { get; set; } = StoredDoc.Current;
    [JsonPropertyName("AccountId")] public required string AccountId { get; init; }
    [JsonPropertyName("Region")] public required string Region { get; init; }
    [JsonPropertyName("Name")] public required string Name { get; init; }
    [JsonPropertyName("Url")] public Uri? Url { get; init; }
    [JsonPropertyName("TimeoutSeconds")] public int TimeoutSeconds { get; set; } = FunctionService.DefaultTimeoutSeconds;
    [JsonPropertyName("Description")] public string? Description { get; init; }
    [JsonPropertyName("CreatedDate")] public DateTimeOffset CreatedDate { get; init; }

    public static string Write(RegisteredFunction f) => StoredDoc.Write(
        new FunctionDoc { AccountId = f.AccountId, Region = f.Region, Name = f.Name, Url = f.Url, TimeoutSeconds = f.TimeoutSeconds, Description = f.Description, CreatedDate = f.CreatedDate },
        DocJson.Default.FunctionDoc);

    public static RegisteredFunction Read(string json)
    {
        var d = StoredDoc.Read(json, DocJson.Default.FunctionDoc, "functions");
        return new RegisteredFunction { AccountId = d.AccountId, Region = d.Region, Name = d.Name, Url = d.Url, TimeoutSeconds = d.TimeoutSeconds, Description = d.Description, CreatedDate = d.CreatedDate };
    }
}
