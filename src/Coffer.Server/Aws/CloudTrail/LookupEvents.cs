using Coffer.Core.Audit;
using Coffer.Server.Aws.Protocol;

namespace Coffer.Server.Aws.CloudTrail;

public sealed record LookupAttribute(string AttributeKey, string AttributeValue);

public sealed record LookupEventsRequest(
    List<LookupAttribute>? LookupAttributes,
    DateTimeOffset? StartTime,
    DateTimeOffset? EndTime,
    string? EventCategory,
    int? MaxResults,
    string? NextToken);

public sealed record TrailResource(string? ResourceType, string? ResourceName);

public sealed record TrailEventShape(
    string EventId,
    string EventName,
    string ReadOnly,
    string? AccessKeyId,
    DateTimeOffset EventTime,
    string EventSource,
    string? Username,
    List<TrailResource> Resources,
    string CloudTrailEvent)
{
    public static TrailEventShape From(TrailEvent e) => new(
        e.Record.EventId,
        e.Record.EventName,
        e.Record.ReadOnly ? "true" : "false",
        e.Record.UserIdentity.AccessKeyId,
        e.Record.EventTime,
        e.Record.EventSource,
        AuditLookupKeys.UsernameOf(e.Record.UserIdentity),
        [.. e.Record.Resources.Select(r => new TrailResource(r.Type, r.Arn))],
        e.Json);
}

/// <summary>LookupEvents' answer. <c>CofferArchivedUntil</c> is Coffer's own member (AWS's SDKs
/// ignore it): records up to that time have moved to archive segments and are not searched.</summary>
public sealed record LookupEventsResponse(List<TrailEventShape> Events, string? NextToken, DateTimeOffset? CofferArchivedUntil = null);

/// <summary>CloudTrail LookupEvents over the audit log's indexes (issue 9).</summary>
public static class LookupEvents
{
    public static JsonOperation Operation { get; } = JsonOperation.Create(
        "LookupEvents", static () => CloudTrailJson.Default.LookupEventsRequest, static () => CloudTrailJson.Default.LookupEventsResponse,
        async (s, call, r, ct) =>
        {
            var attributes = (r.LookupAttributes ?? []).Select(a => (a.AttributeKey, a.AttributeValue)).ToList();
            var result = await s.Trail.LookupEventsAsync(call, attributes, r.StartTime, r.EndTime, r.EventCategory, r.MaxResults, r.NextToken, ct);
            return new LookupEventsResponse([.. result.Events.Select(TrailEventShape.From)], result.NextToken, result.ArchivedUntil);
        });
}
