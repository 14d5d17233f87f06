using Coffer.Core.Access;

namespace Coffer.Core.Events;

public sealed partial class RuleService
{
    /// <summary>The account's dead letters (Coffer's ListEventDeadLetters).</summary>
    public async Task<IReadOnlyList<DeadLetter>> ListDeadLettersAsync(Call call, CancellationToken ct)
    {
        await authorizer.AuthorizeAsync(call, new AccessRequest("coffer:ListEventDeadLetters", "*"), cancellationToken: ct);
        return [.. (await store.ReadAsync((s, ct) => s.Rules.DeadLettersAsync(false, ct), ct)).Where(d => InAccount(d, call))];
    }

    /// <summary>Asks the dispatcher to deliver dead letters again (all of the account's when <paramref name="ids"/> is empty).</summary>
    public async Task<int> RedriveAsync(Call call, IReadOnlyList<long> ids, CancellationToken ct)
    {
        await authorizer.AuthorizeAsync(call, new AccessRequest("coffer:RedriveEventDeadLetters", "*"), cancellationToken: ct);
        return await audit.WriteChangeAsync(call, async (s, ct) =>
        {
            var mine = (await s.Rules.DeadLettersAsync(false, ct)).Where(d => InAccount(d, call) && (ids.Count == 0 || ids.Contains(d.Id))).Select(d => d.Id).ToList();
            return mine.Count == 0 ? 0 : await s.Rules.RequestRedriveAsync(mine, ct);
        }, ct);
    }

    private static bool InAccount(DeadLetter d, Call call) =>
        EventArns.NameOf(d.RuleArn, "rule", out var region, out var account) is not null && account == call.AccountId && region == call.Region;
}
