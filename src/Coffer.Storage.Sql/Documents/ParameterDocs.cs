using System.Text.Json;
using System.Text.Json.Serialization;
using Coffer.Core.Kms;
using Coffer.Core.Parameters;

namespace Coffer.Storage.Sql.Documents;

/// <summary><c>ssm_parameter_versions.doc</c>: a version's metadata, never its value (the name,
/// number, value and ciphertext are columns). <c>Tier</c> is also kept in <c>ssm_parameters.tier</c> (the current version's), which the quota check counts.</summary>
internal sealed record VersionDoc : IStoredDoc
{
    [JsonPropertyName("v")] public int V { get; set; } = StoredDoc.Current;
    [JsonPropertyName("Type")] public required string Type { get; init; }
    [JsonPropertyName("KeyId")] public string? KeyId { get; init; }
    [JsonPropertyName("Description")] public string? Description { get; init; }
    [JsonPropertyName("AllowedPattern")] public string? AllowedPattern { get; init; }
    [JsonPropertyName("Tier")] public required string Tier { get; init; }
    [JsonPropertyName("DataType")] public string DataType { get; set; } = "text";
    [JsonPropertyName("Policies")] public IReadOnlyList<ParameterPolicyDoc> Policies { get; set; } = [];
    [JsonPropertyName("LastModifiedDate")] public required DateTimeOffset LastModifiedDate { get; init; }
    [JsonPropertyName("LastModifiedUser")] public required string LastModifiedUser { get; init; }

    public static string Write(ParameterVersion v) => StoredDoc.Write(
        new VersionDoc
        {
            Type = v.Type, KeyId = v.KeyId, Description = v.Description, AllowedPattern = v.AllowedPattern, Tier = v.Tier, DataType = v.DataType,
            Policies = [.. v.Policies.Select(p => new ParameterPolicyDoc(p.Type, p.Text, p.Status))],
            LastModifiedDate = v.LastModifiedDate, LastModifiedUser = v.LastModifiedUser,
        },
        DocJson.Default.VersionDoc);

    /// <summary>The version whose columns are given, with its metadata read from <paramref name="json"/>.</summary>
    public static ParameterVersion Read(string json, string name, long version, string? value, byte[]? ciphertext)
    {
        var d = StoredDoc.Read(json, DocJson.Default.VersionDoc, "ssm_parameter_versions");
        return new ParameterVersion
        {
            Name = name, Version = version, Value = value, Ciphertext = ciphertext,
            Type = d.Type, KeyId = d.KeyId, Description = d.Description, AllowedPattern = d.AllowedPattern, Tier = d.Tier, DataType = d.DataType,
            Policies = [.. d.Policies.Select(p => new ParameterPolicy(p.Type, p.Text, p.Status))],
            LastModifiedDate = d.LastModifiedDate, LastModifiedUser = d.LastModifiedUser,
        };
    }
}

internal sealed record ParameterPolicyDoc(
    [property: JsonPropertyName("Type")] string Type,
    [property: JsonPropertyName("Text")] string Text,
    [property: JsonPropertyName("Status")] string Status);

/// <summary>One of <c>ssm_parameters.resource_policies</c>, a JSON array.</summary>
internal sealed record ResourcePolicyDoc(
    [property: JsonPropertyName("PolicyId")] string PolicyId,
    [property: JsonPropertyName("PolicyHash")] string PolicyHash,
    [property: JsonPropertyName("Policy")] string Policy);

/// <summary>The JSON arrays of <c>ssm_parameters</c>: <c>tags</c> and <c>resource_policies</c>.</summary>
internal static class ParameterArrays
{
    public static string WriteTags(IReadOnlyList<ResourceTag> tags) => JsonSerializer.Serialize(TagDoc.From(tags), DocJson.Default.IReadOnlyListTagDoc);

    public static IReadOnlyList<ResourceTag> ReadTags(string json) => TagDoc.ToDomain(JsonSerializer.Deserialize(json, DocJson.Default.IReadOnlyListTagDoc)!);

    public static string? WritePolicies(IReadOnlyList<ParameterResourcePolicy> policies) => policies.Count == 0
        ? null
        : JsonSerializer.Serialize<IReadOnlyList<ResourcePolicyDoc>>([.. policies.Select(p => new ResourcePolicyDoc(p.PolicyId, p.PolicyHash, p.Policy))], DocJson.Default.IReadOnlyListResourcePolicyDoc);

    public static IReadOnlyList<ParameterResourcePolicy> ReadPolicies(string? json) => json is null
        ? []
        : [.. JsonSerializer.Deserialize(json, DocJson.Default.IReadOnlyListResourcePolicyDoc)!.Select(p => new ParameterResourcePolicy(p.PolicyId, p.PolicyHash, p.Policy))];
}
