using Coffer.Core.Events;
using Coffer.Server.Aws.Protocol;

namespace Coffer.Server.Aws.Events;

/// <summary>A rule's target. Coffer keeps Id, Arn and RoleArn; the event itself is what is delivered.</summary>
public sealed record Target(string Id, string Arn, string? RoleArn);

public sealed record PutTargetsRequest(string Rule, string? EventBusName, List<Target> Targets);

public sealed record FailedEntry(string TargetId, string ErrorCode, string ErrorMessage);

public sealed record TargetsResponse(int FailedEntryCount, List<FailedEntry> FailedEntries)
{
    public static TargetsResponse From(IReadOnlyList<FailedTarget> failed) =>
        new(failed.Count, [.. failed.Select(f => new FailedEntry(f.TargetId, f.ErrorCode, f.ErrorMessage))]);
}

public sealed record ListTargetsByRuleRequest(string Rule, string? EventBusName, string? NextToken, int? Limit);

public sealed record ListTargetsByRuleResponse(List<Target> Targets, string? NextToken);

public sealed record RemoveTargetsRequest(string Rule, string? EventBusName, List<string> Ids, bool? Force);

/// <summary>PutTargets, ListTargetsByRule and RemoveTargets.</summary>
public static class Targets
{
    public static JsonOperation PutTargets { get; } = JsonOperation.Create(
        "PutTargets", static () => EventsJson.Default.PutTargetsRequest, static () => EventsJson.Default.TargetsResponse,
        async (s, call, r, ct) => TargetsResponse.From(await s.Rules.PutTargetsAsync(call, r.Rule, r.EventBusName, [.. r.Targets.Select(t => new RuleTarget(t.Id, t.Arn, t.RoleArn))], ct)));

    public static JsonOperation ListTargetsByRule { get; } = JsonOperation.Create(
        "ListTargetsByRule", static () => EventsJson.Default.ListTargetsByRuleRequest, static () => EventsJson.Default.ListTargetsByRuleResponse,
        async (s, call, r, ct) =>
        {
            var page = await s.Rules.ListTargetsByRuleAsync(call, r.Rule, r.EventBusName, r.Limit, r.NextToken, ct);
            return new ListTargetsByRuleResponse([.. page.Items.Select(t => new Target(t.Id, t.Arn, t.RoleArn))], page.NextToken);
        });

    public static JsonOperation RemoveTargets { get; } = JsonOperation.Create(
        "RemoveTargets", static () => EventsJson.Default.RemoveTargetsRequest, static () => EventsJson.Default.TargetsResponse,
        async (s, call, r, ct) => TargetsResponse.From(await s.Rules.RemoveTargetsAsync(call, r.Rule, r.EventBusName, r.Ids, ct)));
}
