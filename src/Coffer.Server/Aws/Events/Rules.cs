using Coffer.Core.Events;
using Coffer.Server.Aws.Protocol;

namespace Coffer.Server.Aws.Events;

public sealed record PutRuleRequest(string Name, string? ScheduleExpression, string? EventPattern, string? State, string? Description, string? RoleArn, string? EventBusName);

public sealed record PutRuleResponse(string RuleArn);

public sealed record RuleNameRequest(string Name, string? EventBusName, bool? Force);

public sealed record DescribeRuleResponse(string Name, string Arn, string? EventPattern, string? ScheduleExpression, string State, string? Description, string? RoleArn, string EventBusName, string CreatedBy);

public sealed record RuleEntry(string Name, string Arn, string? EventPattern, string State, string? Description, string? ScheduleExpression, string? RoleArn, string EventBusName)
{
    public static RuleEntry From(EventRule r) => new(r.Name, r.Arn, r.EventPattern, StateOf(r), r.Description, r.ScheduleExpression, r.RoleArn, EventRule.DefaultBus);

    public static string StateOf(EventRule r) => r.Enabled ? "ENABLED" : "DISABLED";
}

public sealed record ListRulesRequest(string? NamePrefix, string? EventBusName, string? NextToken, int? Limit);

public sealed record ListRulesResponse(List<RuleEntry> Rules, string? NextToken);

public sealed record TestEventPatternRequest(string EventPattern, string Event);

public sealed record TestEventPatternResponse(bool Result);

/// <summary>PutRule, DescribeRule, ListRules, DeleteRule, EnableRule, DisableRule and TestEventPattern.</summary>
public static class Rules
{
    public static JsonOperation PutRule { get; } = JsonOperation.Create(
        "PutRule", static () => EventsJson.Default.PutRuleRequest, static () => EventsJson.Default.PutRuleResponse,
        async (s, call, r, ct) => new PutRuleResponse(await s.Rules.PutRuleAsync(call, r.Name, r.EventBusName, r.EventPattern, r.ScheduleExpression, r.State, r.Description, r.RoleArn, ct)));

    public static JsonOperation DescribeRule { get; } = JsonOperation.Create(
        "DescribeRule", static () => EventsJson.Default.RuleNameRequest, static () => EventsJson.Default.DescribeRuleResponse,
        async (s, call, r, ct) =>
        {
            var rule = await s.Rules.DescribeRuleAsync(call, r.Name, r.EventBusName, ct);
            return new DescribeRuleResponse(rule.Name, rule.Arn, rule.EventPattern, rule.ScheduleExpression, RuleEntry.StateOf(rule), rule.Description, rule.RoleArn, EventRule.DefaultBus, rule.CreatedBy);
        });

    public static JsonOperation ListRules { get; } = JsonOperation.Create(
        "ListRules", static () => EventsJson.Default.ListRulesRequest, static () => EventsJson.Default.ListRulesResponse,
        async (s, call, r, ct) =>
        {
            var page = await s.Rules.ListRulesAsync(call, r.NamePrefix, r.EventBusName, r.Limit, r.NextToken, ct);
            return new ListRulesResponse([.. page.Items.Select(RuleEntry.From)], page.NextToken);
        });

    public static JsonOperation DeleteRule { get; } = JsonOperation.Create(
        "DeleteRule", static () => EventsJson.Default.RuleNameRequest, static () => EventsJson.Default.Empty,
        async (s, call, r, ct) =>
        {
            await s.Rules.DeleteRuleAsync(call, r.Name, r.EventBusName, r.Force ?? false, ct);
            return new Empty();
        });

    public static JsonOperation EnableRule { get; } = JsonOperation.Create(
        "EnableRule", static () => EventsJson.Default.RuleNameRequest, static () => EventsJson.Default.Empty,
        async (s, call, r, ct) =>
        {
            await s.Rules.SetRuleStateAsync(call, r.Name, r.EventBusName, enabled: true, ct);
            return new Empty();
        });

    public static JsonOperation DisableRule { get; } = JsonOperation.Create(
        "DisableRule", static () => EventsJson.Default.RuleNameRequest, static () => EventsJson.Default.Empty,
        async (s, call, r, ct) =>
        {
            await s.Rules.SetRuleStateAsync(call, r.Name, r.EventBusName, enabled: false, ct);
            return new Empty();
        });

    public static JsonOperation TestEventPattern { get; } = JsonOperation.Create(
        "TestEventPattern", static () => EventsJson.Default.TestEventPatternRequest, static () => EventsJson.Default.TestEventPatternResponse,
        async (s, call, r, ct) => new TestEventPatternResponse(await s.Rules.TestEventPatternAsync(call, r.EventPattern, r.Event, ct)));
}
