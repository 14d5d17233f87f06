namespace Coffer.Core.Events;

public sealed partial class RuleService
{
    /// <summary>Most targets a rule may have, as in AWS.</summary>
    public const int MaxTargetsPerRule = 5;

    /// <summary>Adds or replaces targets; a target Coffer cannot deliver to is returned as failed, the rest are kept.</summary>
    public Task<IReadOnlyList<FailedTarget>> PutTargetsAsync(Call call, string ruleName, string? bus, IReadOnlyList<RuleTarget> targets, CancellationToken ct)
    {
        RequireDefaultBus(call, bus);
        var arn = Authorize(call, "events:PutTargets", ruleName);
        return audit.WriteChangeAsync<IReadOnlyList<FailedTarget>>(call, s =>
        {
            if (s.Rules.FindRule(call.AccountId, call.Region, ruleName) is null)
            {
                throw EventErrors.RuleNotFound(ruleName);
            }

            var existing = s.Rules.Targets(arn).Select(t => t.Id).ToHashSet(StringComparer.Ordinal);
            if (existing.Union(targets.Select(t => t.Id)).Count() > MaxTargetsPerRule)
            {
                throw new CofferException("LimitExceededException", $"The requested resource exceeds the maximum number allowed of {MaxTargetsPerRule} targets per rule.");
            }

            var failed = new List<FailedTarget>();
            foreach (var target in targets)
            {
                var name = EventArns.NameOf(target.Arn, "api-destination", out var region, out var account);
                if (name is null || region != call.Region || account != call.AccountId)
                {
                    failed.Add(new FailedTarget(target.Id, "ValidationException", "Coffer delivers to API destinations of the same account and region only (arn:aws:events:REGION:ACCOUNT:api-destination/NAME/ID)."));
                }
                else if (s.Rules.FindDestination(account, region, name) is null)
                {
                    failed.Add(new FailedTarget(target.Id, "ResourceNotFoundException", $"An api-destination '{name}' does not exist."));
                }
                else
                {
                    s.Rules.PutTarget(arn, target);
                }
            }

            return failed;
        }, ct);
    }

    public EventPage<RuleTarget> ListTargetsByRule(Call call, string ruleName, string? bus, int? limit, string? nextToken)
    {
        RequireDefaultBus(call, bus);
        var arn = Authorize(call, "events:ListTargetsByRule", ruleName);
        var targets = store.Read(s => s.Rules.FindRule(call.AccountId, call.Region, ruleName) is null ? null : s.Rules.Targets(arn))
            ?? throw EventErrors.RuleNotFound(ruleName);
        return Page(targets, limit, nextToken);
    }

    public Task<IReadOnlyList<FailedTarget>> RemoveTargetsAsync(Call call, string ruleName, string? bus, IReadOnlyList<string> ids, CancellationToken ct)
    {
        RequireDefaultBus(call, bus);
        var arn = Authorize(call, "events:RemoveTargets", ruleName);
        return audit.WriteChangeAsync<IReadOnlyList<FailedTarget>>(call, s =>
        {
            if (s.Rules.FindRule(call.AccountId, call.Region, ruleName) is null)
            {
                throw EventErrors.RuleNotFound(ruleName);
            }

            foreach (var id in ids)
            {
                s.Rules.RemoveTarget(arn, id);
            }

            return [];
        }, ct);
    }
}
