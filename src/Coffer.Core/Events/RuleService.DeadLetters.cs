using Coffer.Core.Access;

namespace Coffer.Core.Events;

public sealed partial class RuleService
{
    /// <summary>The account's dead letters (Coffer's ListEventDeadLetters).</summary>
    public IReadOnlyList<DeadLetter> ListDeadLetters(Call call)
    {
        authorizer.Authorize(call, new AccessRequest("coffer:ListEventDeadLetters", "*"));
        return [.. store.Read(s => s.Rules.DeadLetters(false)).Where(d => InAccount(d, call))];
    }

    /// <summary>Asks the dispatcher to deliver dead letters again (all of the account's when <paramref name="ids"/> is empty).</summary>
    public async Task<int> RedriveAsync(Call call, IReadOnlyList<long> ids, CancellationToken ct)
    {
        await authorizer.AuthorizeAsync(call, new AccessRequest("coffer:RedriveEventDeadLetters", "*"), cancellationToken: ct);
        return await audit.WriteChangeAsync(call, s =>
        {
            var mine = s.Rules.DeadLetters(false).Where(d => InAccount(d, call) && (ids.Count == 0 || ids.Contains(d.Id))).Select(d => d.Id).ToList();
            return mine.Count == 0 ? 0 : s.Rules.RequestRedrive(mine);
        }, ct);
    }

    private static bool InAccount(DeadLetter d, Call call) =>
        EventArns.NameOf(d.RuleArn, "rule", out var region, out var account) is not null && account == call.AccountId && region == call.Region;
}
