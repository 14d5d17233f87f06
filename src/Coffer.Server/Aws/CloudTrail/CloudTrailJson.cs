using System.Text.Json.Serialization;
using Coffer.Server.Aws.Protocol;

namespace Coffer.Server.Aws.CloudTrail;

/// <summary>Source-generated serialization for CloudTrail (target prefix <c>com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101</c>).</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, Converters = [typeof(EpochSecondsConverter)])]
[JsonSerializable(typeof(LookupEventsRequest))]
[JsonSerializable(typeof(LookupEventsResponse))]
public sealed partial class CloudTrailJson : JsonSerializerContext;

/// <summary>CloudTrail's operations; the rest of its model answers "not implemented yet".</summary>
public static class CloudTrailOperations
{
    public static IReadOnlyList<JsonOperation> All { get; } = [LookupEvents.Operation];
}
