namespace Coffer.Core.Events;

public sealed partial class RuleService
{
    /// <summary>Most targets a rule may have, as in AWS.</summary>
    public const int MaxTargetsPerRule = 5;

    /// <summary>Adds or replaces targets; a target Coffer cannot deliver to is returned as failed, the rest are kept.</summary>
    public async Task<IReadOnlyList<FailedTarget>> PutTargetsAsync(Call call, string ruleName, string? bus, IReadOnlyList<RuleTarget> targets, CancellationToken ct)
    {
        RequireDefaultBus(call, bus);
        var arn = await AuthorizeAsync(call, "events:PutTargets", ruleName, ct);
        return await audit.WriteChangeAsync<IReadOnlyList<FailedTarget>>(call, async (s, ct) =>
        {
            if (await s.Rules.FindRuleAsync(call.AccountId, call.Region, ruleName, ct) is null)
            {
                throw EventErrors.RuleNotFound(ruleName);
            }

            var existing = (await s.Rules.TargetsAsync(arn, ct)).Select(t => t.Id).ToHashSet(StringComparer.Ordinal);
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
                else if (await s.Rules.FindDestinationAsync(account, region, name, ct) is null)
                {
                    failed.Add(new FailedTarget(target.Id, "ResourceNotFoundException", $"An api-destination '{name}' does not exist."));
                }
                else
                {
                    await s.Rules.PutTargetAsync(arn, target, ct);
                }
            }

            return failed;
        }, ct);
    }

    public async Task<EventPage<RuleTarget>> ListTargetsByRuleAsync(Call call, string ruleName, string? bus, int? limit, string? nextToken, CancellationToken ct)
    {
        RequireDefaultBus(call, bus);
        var arn = await AuthorizeAsync(call, "events:ListTargetsByRule", ruleName, ct);
        var targets = await store.ReadAsync(async (s, ct) => await s.Rules.FindRuleAsync(call.AccountId, call.Region, ruleName, ct) is null ? null : await s.Rules.TargetsAsync(arn, ct), ct)
            ?? throw EventErrors.RuleNotFound(ruleName);
        return Page(targets, limit, nextToken);
    }

    public async Task<IReadOnlyList<FailedTarget>> RemoveTargetsAsync(Call call, string ruleName, string? bus, IReadOnlyList<string> ids, CancellationToken ct)
    {
        RequireDefaultBus(call, bus);
        var arn = await AuthorizeAsync(call, "events:RemoveTargets", ruleName, ct);
        return await audit.WriteChangeAsync<IReadOnlyList<FailedTarget>>(call, async (s, ct) =>
        {
            if (await s.Rules.FindRuleAsync(call.AccountId, call.Region, ruleName, ct) is null)
            {
                throw EventErrors.RuleNotFound(ruleName);
            }

            foreach (var id in ids)
            {
                await s.Rules.RemoveTargetAsync(arn, id, ct);
            }

            return [];
        }, ct);
    }
}
