using Coffer.Core.Access;
using Coffer.Core.Audit;
using Coffer.Core.Kms;
using Coffer.Core.Storage;

namespace Coffer.Core.Events;

/// <summary>A page of a list, and the token for the next one (null on the last page).</summary>
public sealed record EventPage<T>(IReadOnlyList<T> Items, string? NextToken);

/// <summary>Why one target of PutTargets or RemoveTargets was not taken.</summary>
public sealed record FailedTarget(string TargetId, string ErrorCode, string ErrorMessage);

/// <summary>
/// EventBridge's rules and targets on each account's default bus (PutRule, DescribeRule, ListRules,
/// DeleteRule, EnableRule, DisableRule, PutTargets, ListTargetsByRule, RemoveTargets,
/// TestEventPattern), authorized by IAM on <c>arn:aws:events:REGION:ACCOUNT:rule/NAME</c>.
/// Connections and API destinations are in the other partial files; delivery is the dispatcher's.
/// </summary>
public sealed partial class RuleService(ICofferStore store, KeyService keys, IAuthorizer authorizer, AuditLog audit, TimeProvider time)
{
    private const string RuleType = "AWS::Events::Rule";

    public async Task<string> PutRuleAsync(Call call, string name, string? bus, string? eventPattern, string? scheduleExpression, string? state, string? description, string? roleArn, CancellationToken ct)
    {
        RequireDefaultBus(call, bus);
        if (eventPattern is null && scheduleExpression is null)
        {
            throw EventErrors.Validation("Parameter(s) EventPattern or ScheduleExpression must be specified.");
        }

        if (eventPattern is not null)
        {
            EventPattern.Parse(eventPattern);
        }

        var arn = await AuthorizeAsync(call, "events:PutRule", name, ct);
        return await audit.WriteChangeAsync(call, async (s, ct) =>
        {
            var existing = await s.Rules.FindRuleAsync(call.AccountId, call.Region, name, ct);
            await s.Rules.UpsertRuleAsync(new EventRule
            {
                AccountId = call.AccountId,
                Region = call.Region,
                Name = name,
                EventPattern = eventPattern,
                ScheduleExpression = scheduleExpression,
                Enabled = state is null or "ENABLED" or "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS",
                Description = description,
                RoleArn = roleArn,
                CreatedBy = existing?.CreatedBy ?? call.AccountId,
            }, ct);
            return arn;
        }, ct);
    }

    public async Task<EventRule> DescribeRuleAsync(Call call, string name, string? bus, CancellationToken ct)
    {
        RequireDefaultBus(call, bus);
        await AuthorizeAsync(call, "events:DescribeRule", name, ct);
        return await store.ReadAsync((s, ct) => s.Rules.FindRuleAsync(call.AccountId, call.Region, name, ct), ct) ?? throw EventErrors.RuleNotFound(name);
    }

    public async Task<EventPage<EventRule>> ListRulesAsync(Call call, string? namePrefix, string? bus, int? limit, string? nextToken, CancellationToken ct)
    {
        RequireDefaultBus(call, bus);
        await authorizer.AuthorizeAsync(call, new AccessRequest("events:ListRules", "*"), cancellationToken: ct);
        var rules = await store.ReadAsync((s, ct) => s.Rules.ListRulesAsync(call.AccountId, call.Region, ct), ct);
        return Page([.. rules.Where(r => namePrefix is null || r.Name.StartsWith(namePrefix, StringComparison.Ordinal))], limit, nextToken);
    }

    /// <summary>Deletes a rule; deleting one that does not exist succeeds, as in AWS.</summary>
    public async Task DeleteRuleAsync(Call call, string name, string? bus, bool force, CancellationToken ct)
    {
        RequireDefaultBus(call, bus);
        var arn = await AuthorizeAsync(call, "events:DeleteRule", name, ct);
        await audit.WriteChangeAsync(call, async (s, ct) =>
        {
            if (!force && (await s.Rules.TargetsAsync(arn, ct)).Count > 0)
            {
                throw EventErrors.RuleHasTargets(name);
            }

            return await s.Rules.DeleteRuleAsync(call.AccountId, call.Region, name, ct);
        }, ct);
    }

    public async Task SetRuleStateAsync(Call call, string name, string? bus, bool enabled, CancellationToken ct)
    {
        RequireDefaultBus(call, bus);
        await AuthorizeAsync(call, enabled ? "events:EnableRule" : "events:DisableRule", name, ct);
        await audit.WriteChangeAsync(call, async (s, ct) =>
        {
            var rule = await s.Rules.FindRuleAsync(call.AccountId, call.Region, name, ct) ?? throw EventErrors.RuleNotFound(name);
            await s.Rules.UpsertRuleAsync(rule with { Enabled = enabled }, ct);
            return true;
        }, ct);
    }

    public async Task<bool> TestEventPatternAsync(Call call, string eventPattern, string eventJson, CancellationToken ct)
    {
        await authorizer.AuthorizeAsync(call, new AccessRequest("events:TestEventPattern", "*"), cancellationToken: ct);
        return EventPattern.Parse(eventPattern).Matches(eventJson);
    }

    private async ValueTask<string> AuthorizeAsync(Call call, string action, string ruleName, CancellationToken ct)
    {
        var arn = EventArns.Rule(call.Region, call.AccountId, ruleName);
        call.AddResource(arn, RuleType);
        await authorizer.AuthorizeAsync(call, new AccessRequest(action, arn), cancellationToken: ct);
        return arn;
    }

    /// <summary>Coffer has one bus per account and region, <c>default</c>; it may be named by name or ARN.</summary>
    private static void RequireDefaultBus(Call call, string? bus)
    {
        if (bus is null or EventRule.DefaultBus || bus == Aws.Arn.For("events", call.Region, call.AccountId, "event-bus/default").ToString())
        {
            return;
        }

        throw EventErrors.BusNotFound(bus);
    }

    private static EventPage<T> Page<T>(IReadOnlyList<T> items, int? limit, string? nextToken)
    {
        var start = 0;
        if (nextToken is not null && (!int.TryParse(nextToken, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out start) || start > items.Count))
        {
            throw EventErrors.Validation("The NextToken is not valid.");
        }

        var size = limit ?? 100;
        var page = items.Skip(start).Take(size).ToList();
        var next = start + size < items.Count ? (start + size).ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
        return new EventPage<T>(page, next);
    }
}
