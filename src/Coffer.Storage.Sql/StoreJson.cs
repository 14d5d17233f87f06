using System.Text.Json.Serialization;
using Coffer.Core.Kms;

namespace Coffer.Storage.Sql;

/// <summary>The JSON documents kept in <c>doc</c> columns.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, UseStringEnumConverter = true)]
[JsonSerializable(typeof(KmsKey))]
[JsonSerializable(typeof(KmsGrant))]
internal sealed partial class StoreJson : JsonSerializerContext;
