using System.Text.Json;
using System.Text.Json.Nodes;
using Coffer.Core.Audit;

namespace Coffer.Core.Events;

/// <summary>
/// The event every change announces: EventBridge's "AWS API Call via CloudTrail" shape, with the
/// call's name, caller, request parameters (never a secret value) and resources. Services may add
/// more specific events (a parameter's change, a key's rotation) beside it.
/// </summary>
public static class ChangeEvents
{
    /// <summary>"AWS API Call via CloudTrail" as AWS delivers it: the detail is the call's CloudTrail
    /// record (who, with which key, from where, what was asked, which resources; never a secret
    /// value), plus the two fields CloudTrail adds for EventBridge (issue 9).</summary>
    public static CofferEvent ApiCall(Call call, AuditRecord record)
    {
        var detail = (JsonObject)JsonSerializer.SerializeToNode(record, AuditJson.Default.AuditRecord)!;
        detail["managementEvent"] = true;
        detail["eventCategory"] = "Management";
        return new CofferEvent
        {
            DetailType = "AWS API Call via CloudTrail",
            Source = "aws." + call.EventSource.Split('.')[0],
            Account = call.AccountId,
            Time = call.Origin.Time,
            Region = call.Region,
            Resources = [.. call.Resources.Select(r => r.Arn)],
            Detail = detail,
        };
    }

    /// <summary>The service events a change brings with it beyond its API-call event (Secrets Manager's label moves).</summary>
    public static ValueTask<IReadOnlyList<CofferEvent>> ServiceEventsOfAsync(Call call, Storage.IStoreSession session, CancellationToken cancellationToken) =>
        SecretLabelEvents.ForAsync(call, session, cancellationToken);

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
