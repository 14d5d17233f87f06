using System.Globalization;
using Coffer.Core.Events;
using Coffer.Storage.Sql.Documents;

namespace Coffer.Storage.Sql;

/// <summary>EventBridge's resources as JSON documents, and delivery's state.</summary>
internal sealed class RuleRepository(SqlSession session) : IRuleRepository
{
    private const string CursorKey = "events.delivery_cursor";

    public ValueTask<EventRule?> FindRuleAsync(string accountId, string region, string name, CancellationToken cancellationToken) =>
        OneAsync("SELECT doc FROM event_rules WHERE account = $a AND region = $r AND name = $n", accountId, region, name, EventRuleDoc.Read, cancellationToken);

    public ValueTask<IReadOnlyList<EventRule>> ListRulesAsync(string accountId, string region, CancellationToken cancellationToken) =>
        ManyAsync("SELECT doc FROM event_rules WHERE account = $a AND region = $r ORDER BY name", accountId, region, EventRuleDoc.Read, cancellationToken);

    public ValueTask<IReadOnlyList<EventRule>> EnabledRulesAsync(CancellationToken cancellationToken) =>
        ManyAsync("SELECT doc FROM event_rules WHERE enabled = 1 ORDER BY account, region, name", null, null, EventRuleDoc.Read, cancellationToken);

    public async ValueTask UpsertRuleAsync(EventRule rule, CancellationToken cancellationToken) =>
        await session.Command("INSERT INTO event_rules (account, region, name, enabled, doc) VALUES ($a, $r, $n, $e, $d) ON CONFLICT (account, region, name) DO UPDATE SET enabled = excluded.enabled, doc = excluded.doc")
            .With("$a", rule.AccountId).With("$r", rule.Region).With("$n", rule.Name).With("$e", rule.Enabled ? 1 : 0)
            .With("$d", EventRuleDoc.Write(rule)).NonQueryAsync(cancellationToken);

    public async ValueTask<bool> DeleteRuleAsync(string accountId, string region, string name, CancellationToken cancellationToken)
    {
        await session.Command("DELETE FROM event_targets WHERE rule_arn = $arn").With("$arn", EventArns.Rule(region, accountId, name)).NonQueryAsync(cancellationToken);
        return await DeleteAsync("event_rules", accountId, region, name, cancellationToken);
    }

    public async ValueTask<IReadOnlyList<RuleTarget>> TargetsAsync(string ruleArn, CancellationToken cancellationToken) =>
        await session.Command("SELECT doc FROM event_targets WHERE rule_arn = $arn ORDER BY id").With("$arn", ruleArn).ReadDocsAsync(RuleTargetDoc.Read, cancellationToken);

    public async ValueTask PutTargetAsync(string ruleArn, RuleTarget target, CancellationToken cancellationToken) =>
        await session.Command("INSERT INTO event_targets (rule_arn, id, doc) VALUES ($arn, $id, $d) ON CONFLICT (rule_arn, id) DO UPDATE SET doc = excluded.doc")
            .With("$arn", ruleArn).With("$id", target.Id).With("$d", RuleTargetDoc.Write(target)).NonQueryAsync(cancellationToken);

    public async ValueTask<bool> RemoveTargetAsync(string ruleArn, string id, CancellationToken cancellationToken) =>
        await session.Command("DELETE FROM event_targets WHERE rule_arn = $arn AND id = $id").With("$arn", ruleArn).With("$id", id).NonQueryAsync(cancellationToken) > 0;

    public ValueTask<EventConnection?> FindConnectionAsync(string accountId, string region, string name, CancellationToken cancellationToken) =>
        OneAsync("SELECT doc FROM event_connections WHERE account = $a AND region = $r AND name = $n", accountId, region, name, EventConnectionDoc.Read, cancellationToken);

    public ValueTask<IReadOnlyList<EventConnection>> ListConnectionsAsync(string accountId, string region, CancellationToken cancellationToken) =>
        ManyAsync("SELECT doc FROM event_connections WHERE account = $a AND region = $r ORDER BY name", accountId, region, EventConnectionDoc.Read, cancellationToken);

    public ValueTask UpsertConnectionAsync(EventConnection connection, CancellationToken cancellationToken) =>
        UpsertAsync("event_connections", connection.AccountId, connection.Region, connection.Name, EventConnectionDoc.Write(connection), cancellationToken);

    public ValueTask<bool> DeleteConnectionAsync(string accountId, string region, string name, CancellationToken cancellationToken) =>
        DeleteAsync("event_connections", accountId, region, name, cancellationToken);

    public ValueTask<ApiDestination?> FindDestinationAsync(string accountId, string region, string name, CancellationToken cancellationToken) =>
        OneAsync("SELECT doc FROM event_api_destinations WHERE account = $a AND region = $r AND name = $n", accountId, region, name, ApiDestinationDoc.Read, cancellationToken);

    public ValueTask<IReadOnlyList<ApiDestination>> ListDestinationsAsync(string accountId, string region, CancellationToken cancellationToken) =>
        ManyAsync("SELECT doc FROM event_api_destinations WHERE account = $a AND region = $r ORDER BY name", accountId, region, ApiDestinationDoc.Read, cancellationToken);

    public ValueTask UpsertDestinationAsync(ApiDestination destination, CancellationToken cancellationToken) =>
        UpsertAsync("event_api_destinations", destination.AccountId, destination.Region, destination.Name, ApiDestinationDoc.Write(destination), cancellationToken);

    public ValueTask<bool> DeleteDestinationAsync(string accountId, string region, string name, CancellationToken cancellationToken) =>
        DeleteAsync("event_api_destinations", accountId, region, name, cancellationToken);

    public async ValueTask<long> DeliveryCursorAsync(CancellationToken cancellationToken) =>
        await session.Meta.GetAsync(CursorKey, cancellationToken) is { } text ? long.Parse(text, CultureInfo.InvariantCulture) : 0;

    public ValueTask SetDeliveryCursorAsync(long sequence, CancellationToken cancellationToken) =>
        session.Meta.SetAsync(CursorKey, sequence.ToString(CultureInfo.InvariantCulture), cancellationToken);

    public async ValueTask AddDeadLetterAsync(DeadLetter letter, CancellationToken cancellationToken) =>
        await session.Command("INSERT INTO event_dead_letters (seq, event_id, rule_arn, target_id, target_arn, attempts, last_error, failed_at, redrive) VALUES ($s, $e, $ra, $ti, $ta, $n, $err, $t, 0)")
            .With("$s", letter.Sequence).With("$e", letter.EventId).With("$ra", letter.RuleArn).With("$ti", letter.TargetId).With("$ta", letter.TargetArn)
            .With("$n", letter.Attempts).With("$err", letter.LastError).With("$t", letter.FailedAt.ToUnixMs()).NonQueryAsync(cancellationToken);

    public async ValueTask<IReadOnlyList<DeadLetter>> DeadLettersAsync(bool redriveRequestedOnly, CancellationToken cancellationToken)
    {
        var sql = "SELECT id, seq, event_id, rule_arn, target_id, target_arn, attempts, last_error, failed_at, redrive FROM event_dead_letters"
            + (redriveRequestedOnly ? " WHERE redrive = 1" : "") + " ORDER BY id";
        await using var reader = await session.Command(sql).ReaderAsync(cancellationToken);
        var list = new List<DeadLetter>();
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(new DeadLetter(reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetString(5),
                reader.GetInt32(6), reader.GetString(7), SqlExtensions.FromUnixMs(reader.GetInt64(8)), reader.GetInt64(9) == 1));
        }

        return list;
    }

    public async ValueTask<int> RequestRedriveAsync(IReadOnlyList<long> ids, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            return await session.Command("UPDATE event_dead_letters SET redrive = 1").NonQueryAsync(cancellationToken);
        }

        var count = 0;
        foreach (var id in ids)
        {
            count += await session.Command("UPDATE event_dead_letters SET redrive = 1 WHERE id = $id").With("$id", id).NonQueryAsync(cancellationToken);
        }

        return count;
    }

    public async ValueTask DeleteDeadLetterAsync(long id, CancellationToken cancellationToken) =>
        await session.Command("DELETE FROM event_dead_letters WHERE id = $id").With("$id", id).NonQueryAsync(cancellationToken);

    public async ValueTask UpdateDeadLetterAsync(long id, int attempts, string lastError, DateTimeOffset failedAt, CancellationToken cancellationToken) =>
        await session.Command("UPDATE event_dead_letters SET attempts = $n, last_error = $err, failed_at = $t, redrive = 0 WHERE id = $id")
            .With("$id", id).With("$n", attempts).With("$err", lastError).With("$t", failedAt.ToUnixMs()).NonQueryAsync(cancellationToken);

    private async ValueTask UpsertAsync(string table, string account, string region, string name, string doc, CancellationToken cancellationToken) =>
        await session.Command($"INSERT INTO {table} (account, region, name, doc) VALUES ($a, $r, $n, $d) ON CONFLICT (account, region, name) DO UPDATE SET doc = excluded.doc")
            .With("$a", account).With("$r", region).With("$n", name).With("$d", doc).NonQueryAsync(cancellationToken);

    private async ValueTask<bool> DeleteAsync(string table, string account, string region, string name, CancellationToken cancellationToken) =>
        await session.Command($"DELETE FROM {table} WHERE account = $a AND region = $r AND name = $n").With("$a", account).With("$r", region).With("$n", name).NonQueryAsync(cancellationToken) > 0;

    private ValueTask<T?> OneAsync<T>(string sql, string account, string region, string name, Func<string, T> read, CancellationToken cancellationToken)
        where T : class =>
        session.Command(sql).With("$a", account).With("$r", region).With("$n", name).ReadDocAsync(read, cancellationToken);

    private async ValueTask<IReadOnlyList<T>> ManyAsync<T>(string sql, string? account, string? region, Func<string, T> read, CancellationToken cancellationToken)
    {
        var cmd = session.Command(sql);
        if (account is not null)
        {
            cmd.With("$a", account).With("$r", region);
        }

        return await cmd.ReadDocsAsync(read, cancellationToken);
    }
}
