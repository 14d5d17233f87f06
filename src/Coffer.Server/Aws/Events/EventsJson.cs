using System.Text.Json.Serialization;
using Coffer.Server.Aws.Protocol;

namespace Coffer.Server.Aws.Events;

/// <summary>Source-generated serialization for EventBridge (target prefix <c>AWSEvents</c>).</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, Converters = [typeof(EpochSecondsConverter)])]
[JsonSerializable(typeof(Empty))]
[JsonSerializable(typeof(PutRuleRequest))]
[JsonSerializable(typeof(PutRuleResponse))]
[JsonSerializable(typeof(RuleNameRequest))]
[JsonSerializable(typeof(DescribeRuleResponse))]
[JsonSerializable(typeof(ListRulesRequest))]
[JsonSerializable(typeof(ListRulesResponse))]
[JsonSerializable(typeof(TestEventPatternRequest))]
[JsonSerializable(typeof(TestEventPatternResponse))]
[JsonSerializable(typeof(PutTargetsRequest))]
[JsonSerializable(typeof(TargetsResponse))]
[JsonSerializable(typeof(ListTargetsByRuleRequest))]
[JsonSerializable(typeof(ListTargetsByRuleResponse))]
[JsonSerializable(typeof(RemoveTargetsRequest))]
[JsonSerializable(typeof(NameRequest))]
[JsonSerializable(typeof(CreateConnectionRequest))]
[JsonSerializable(typeof(UpdateConnectionRequest))]
[JsonSerializable(typeof(ConnectionStateResponse))]
[JsonSerializable(typeof(DescribeConnectionResponse))]
[JsonSerializable(typeof(ListConnectionsRequest))]
[JsonSerializable(typeof(ListConnectionsResponse))]
[JsonSerializable(typeof(CreateApiDestinationRequest))]
[JsonSerializable(typeof(UpdateApiDestinationRequest))]
[JsonSerializable(typeof(ApiDestinationStateResponse))]
[JsonSerializable(typeof(ApiDestinationEntry))]
[JsonSerializable(typeof(ListApiDestinationsRequest))]
[JsonSerializable(typeof(ListApiDestinationsResponse))]
public sealed partial class EventsJson : JsonSerializerContext;

/// <summary>EventBridge's operations that Coffer implements; the rest of the model answers "not implemented yet".</summary>
public static class EventsOperations
{
    public static IReadOnlyList<JsonOperation> All { get; } =
    [
        Rules.PutRule, Rules.DescribeRule, Rules.ListRules, Rules.DeleteRule, Rules.EnableRule, Rules.DisableRule, Rules.TestEventPattern,
        Targets.PutTargets, Targets.ListTargetsByRule, Targets.RemoveTargets,
        Connections.Create, Connections.Describe, Connections.List, Connections.Update, Connections.Delete,
        ApiDestinations.Create, ApiDestinations.Describe, ApiDestinations.List, ApiDestinations.Update, ApiDestinations.Delete,
    ];
}
