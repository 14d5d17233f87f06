using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Coffer.Storage.Sql.Documents;

/// <summary>A document kept in a <c>doc</c> column: its schema number is written first, as <c>"v"</c>.</summary>
internal interface IStoredDoc
{
    int V { get; }
}

/// <summary>
/// How <c>doc</c> columns are written and read. Each table's document is a record of its own, apart
/// from the domain type, with explicit JSON names: renaming a domain property changes no stored
/// name (a golden test per document fails instead). The names are the ones Coffer wrote before the
/// documents were versioned, so rows written then read as version 1 without a migration (a
/// document without <c>"v"</c> is version 1). A document from a newer schema is refused rather
/// than read with fields dropped. Members with a default have a setter, not <c>init</c>: the
/// source generator passes every init member to the object initializer, so a missing one would
/// be zero or null instead of its default.
/// </summary>
internal static class StoredDoc
{
    public const int Current = 1;

    public static string Write<T>(T doc, JsonTypeInfo<T> type)
        where T : IStoredDoc => JsonSerializer.Serialize(doc, type);

    public static T Read<T>(string json, JsonTypeInfo<T> type, string table)
        where T : IStoredDoc
    {
        var doc = JsonSerializer.Deserialize(json, type) ?? throw new InvalidDataException($"{table}.doc holds no document.");
        return doc.V is >= 1 and <= Current
            ? doc
            : throw new InvalidDataException($"{table}.doc is at document version {doc.V}; this Coffer reads versions 1 to {Current}. Run the newer Coffer that wrote it.");
    }
}

/// <summary>A resource tag, as every document and the parameters' <c>tags</c> column keep it.</summary>
internal sealed record TagDoc([property: JsonPropertyName("Key")] string Key, [property: JsonPropertyName("Value")] string Value)
{
    public static IReadOnlyList<TagDoc> From(IReadOnlyList<Core.Kms.ResourceTag> tags) => [.. tags.Select(t => new TagDoc(t.Key, t.Value))];

    public static IReadOnlyList<Core.Kms.ResourceTag> ToDomain(IReadOnlyList<TagDoc> tags) => [.. tags.Select(t => new Core.Kms.ResourceTag(t.Key, t.Value))];
}

/// <summary>The documents of every table, generated (no reflection).</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, UseStringEnumConverter = true)]
[JsonSerializable(typeof(KmsKeyDoc))]
[JsonSerializable(typeof(KmsGrantDoc))]
[JsonSerializable(typeof(SecretDoc))]
[JsonSerializable(typeof(FunctionDoc))]
[JsonSerializable(typeof(IamEntityDoc))]
[JsonSerializable(typeof(ManagedPolicyDoc))]
[JsonSerializable(typeof(EventRuleDoc))]
[JsonSerializable(typeof(RuleTargetDoc))]
[JsonSerializable(typeof(EventConnectionDoc))]
[JsonSerializable(typeof(ApiDestinationDoc))]
[JsonSerializable(typeof(VersionDoc))]
[JsonSerializable(typeof(IReadOnlyList<TagDoc>))]
[JsonSerializable(typeof(IReadOnlyList<ResourcePolicyDoc>))]
internal sealed partial class DocJson : JsonSerializerContext;
