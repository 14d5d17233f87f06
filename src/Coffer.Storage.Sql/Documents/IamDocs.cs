using System.Text.Json.Serialization;
using Coffer.Core.Identity;

namespace Coffer.Storage.Sql.Documents;

/// <summary><c>iam_entities.doc</c>: a user, group or role with its inline policies.</summary>
internal sealed record IamEntityDoc : IStoredDoc
{
    [JsonPropertyName("v")] public int V { get; set; } = StoredDoc.Current;
    [JsonPropertyName("Kind")] public required IamEntityKind Kind { get; init; }
    [JsonPropertyName("AccountId")] public required string AccountId { get; init; }
    [JsonPropertyName("Name")] public required string Name { get; init; }
    [JsonPropertyName("Id")] public required string Id { get; init; }
    [JsonPropertyName("Path")] public required string Path { get; init; }
    [JsonPropertyName("Arn")] public required string Arn { get; init; }
    [JsonPropertyName("CreateDate")] public required DateTimeOffset CreateDate { get; init; }
    [JsonPropertyName("InlinePolicies")] public IReadOnlyList<InlinePolicyDoc> InlinePolicies { get; set; } = [];
    [JsonPropertyName("Tags")] public IReadOnlyList<TagDoc> Tags { get; set; } = [];
    [JsonPropertyName("AssumeRolePolicyDocument")] public string? AssumeRolePolicyDocument { get; init; }
    [JsonPropertyName("Description")] public string? Description { get; init; }
    [JsonPropertyName("MaxSessionDuration")] public int MaxSessionDuration { get; set; } = 3600;

    public static string Write(IamEntity e) => StoredDoc.Write(
        new IamEntityDoc
        {
            Kind = e.Kind, AccountId = e.AccountId, Name = e.Name, Id = e.Id, Path = e.Path, Arn = e.Arn, CreateDate = e.CreateDate,
            InlinePolicies = [.. e.InlinePolicies.Select(p => new InlinePolicyDoc(p.Name, p.Document))], Tags = TagDoc.From(e.Tags),
            AssumeRolePolicyDocument = e.AssumeRolePolicyDocument, Description = e.Description, MaxSessionDuration = e.MaxSessionDuration,
        },
        DocJson.Default.IamEntityDoc);

    public static IamEntity Read(string json)
    {
        var d = StoredDoc.Read(json, DocJson.Default.IamEntityDoc, "iam_entities");
        return new IamEntity
        {
            Kind = d.Kind, AccountId = d.AccountId, Name = d.Name, Id = d.Id, Path = d.Path, Arn = d.Arn, CreateDate = d.CreateDate,
            InlinePolicies = [.. d.InlinePolicies.Select(p => new InlinePolicy(p.Name, p.Document))], Tags = TagDoc.ToDomain(d.Tags),
            AssumeRolePolicyDocument = d.AssumeRolePolicyDocument, Description = d.Description, MaxSessionDuration = d.MaxSessionDuration,
        };
    }
}

internal sealed record InlinePolicyDoc([property: JsonPropertyName("Name")] string Name, [property: JsonPropertyName("Document")] string Document);

/// <summary><c>iam_policies.doc</c>: a customer managed policy and its versions. The default version
/// and the AWS-managed flag are derived, not stored.</summary>
internal sealed record ManagedPolicyDoc : IStoredDoc
{
    [JsonPropertyName("v")] public int V { get; set; } = StoredDoc.Current;
    [JsonPropertyName("AccountId")] public required string AccountId { get; init; }
    [JsonPropertyName("Name")] public required string Name { get; init; }
    [JsonPropertyName("Id")] public required string Id { get; init; }
    [JsonPropertyName("Path")] public required string Path { get; init; }
    [JsonPropertyName("Arn")] public required string Arn { get; init; }
    [JsonPropertyName("Description")] public string? Description { get; init; }
    [JsonPropertyName("CreateDate")] public required DateTimeOffset CreateDate { get; init; }
    [JsonPropertyName("UpdateDate")] public required DateTimeOffset UpdateDate { get; init; }
    [JsonPropertyName("DefaultVersionId")] public required string DefaultVersionId { get; init; }
    [JsonPropertyName("Versions")] public required IReadOnlyList<PolicyVersionDoc> Versions { get; init; }
    [JsonPropertyName("Tags")] public IReadOnlyList<TagDoc> Tags { get; set; } = [];

    public static string Write(ManagedPolicy p) => StoredDoc.Write(
        new ManagedPolicyDoc
        {
            AccountId = p.AccountId, Name = p.Name, Id = p.Id, Path = p.Path, Arn = p.Arn, Description = p.Description, CreateDate = p.CreateDate,
            UpdateDate = p.UpdateDate, DefaultVersionId = p.DefaultVersionId,
            Versions = [.. p.Versions.Select(v => new PolicyVersionDoc(v.VersionId, v.Document, v.CreateDate))], Tags = TagDoc.From(p.Tags),
        },
        DocJson.Default.ManagedPolicyDoc);

    public static ManagedPolicy Read(string json)
    {
        var d = StoredDoc.Read(json, DocJson.Default.ManagedPolicyDoc, "iam_policies");
        return new ManagedPolicy
        {
            AccountId = d.AccountId, Name = d.Name, Id = d.Id, Path = d.Path, Arn = d.Arn, Description = d.Description, CreateDate = d.CreateDate,
            UpdateDate = d.UpdateDate, DefaultVersionId = d.DefaultVersionId,
            Versions = [.. d.Versions.Select(v => new PolicyVersion(v.VersionId, v.Document, v.CreateDate))], Tags = TagDoc.ToDomain(d.Tags),
        };
    }
}

internal sealed record PolicyVersionDoc(
    [property: JsonPropertyName("VersionId")] string VersionId,
    [property: JsonPropertyName("Document")] string Document,
    [property: JsonPropertyName("CreateDate")] DateTimeOffset CreateDate);
