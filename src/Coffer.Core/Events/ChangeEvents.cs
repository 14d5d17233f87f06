using System.Text.Json.Nodes;

namespace Coffer.Core.Events;

/// <summary>
/// The event every change announces: EventBridge's "AWS API Call via CloudTrail" shape, with the
/// call's name, caller, request parameters (never a secret value) and resources. Services may add
/// more specific events (a parameter's change, a key's rotation) beside it.
/// </summary>
public static class ChangeEvents
{
    public static CofferEvent ApiCall(Call call) => new()
    {
        DetailType = "AWS API Call via CloudTrail",
        Source = "aws." + call.EventSource.Split('.')[0],
        Account = call.AccountId,
        Time = call.Origin.Time,
        Region = call.Region,
        Resources = [.. call.Resources.Select(r => r.Arn)],
        Detail = new JsonObject
        {
            ["eventSource"] = call.EventSource,
            ["eventName"] = call.EventName,
            ["awsRegion"] = call.Region,
            ["requestID"] = call.Origin.RequestId,
            ["userIdentity"] = new JsonObject { ["arn"] = call.Principal.Arn, ["accountId"] = call.AccountId },
            ["requestParameters"] = call.RequestParameters?.DeepClone(),
        },
    };

    /// <summary>An event of the service itself, such as a scheduled rotation or deletion.</summary>
    public static CofferEvent ServiceEvent(string source, string detailType, string account, string region, DateTimeOffset time, IReadOnlyList<string> resources, JsonObject detail) => new()
    {
        DetailType = detailType,
        Source = source,
        Account = account,
        Time = time,
        Region = region,
        Resources = resources,
        Detail = detail,
    };
}
