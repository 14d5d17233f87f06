using System.Globalization;
using Coffer.Core.Events;
using Coffer.Storage.Sql.Documents;

namespace Coffer.Storage.Sql;

/// <summary>EventBridge's resources as JSON documents, and delivery's state.</summary>
internal sealed class RuleRepository(SqlSession session) : IRuleRepository
{
    private const string CursorKey = "events.delivery_cursor";

    public EventRule? FindRule(string accountId, string region, string name) =>
        One("SELECT doc FROM event_rules WHERE account = $a AND region = $r AND name = $n", accountId, region, name, EventRuleDoc.Read);

    public IReadOnlyList<EventRule> ListRules(string accountId, string region) =>
        Many("SELECT doc FROM event_rules WHERE account = $a AND region = $r ORDER BY name", accountId, region, EventRuleDoc.Read);

    public IReadOnlyList<EventRule> EnabledRules() =>
        Many("SELECT doc FROM event_rules WHERE enabled = 1 ORDER BY account, region, name", null, null, EventRuleDoc.Read);

    public void UpsertRule(EventRule rule) =>
        session.Command("INSERT INTO event_rules (account, region, name, enabled, doc) VALUES ($a, $r, $n, $e, $d) ON CONFLICT (account, region, name) DO UPDATE SET enabled = excluded.enabled, doc = excluded.doc")
            .With("$a", rule.AccountId).With("$r", rule.Region).With("$n", rule.Name).With("$e", rule.Enabled ? 1 : 0)
            .With("$d", EventRuleDoc.Write(rule)).ExecuteNonQuery();

    public bool DeleteRule(string accountId, string region, string name)
    {
        session.Command("DELETE FROM event_targets WHERE rule_arn = $arn").With("$arn", EventArns.Rule(region, accountId, name)).ExecuteNonQuery();
        return Delete("event_rules", accountId, region, name);
    }

    public IReadOnlyList<RuleTarget> Targets(string ruleArn) =>
        session.Command("SELECT doc FROM event_targets WHERE rule_arn = $arn ORDER BY id").With("$arn", ruleArn).ReadDocs(RuleTargetDoc.Read);

    public void PutTarget(string ruleArn, RuleTarget target) =>
        session.Command("INSERT INTO event_targets (rule_arn, id, doc) VALUES ($arn, $id, $d) ON CONFLICT (rule_arn, id) DO UPDATE SET doc = excluded.doc")
            .With("$arn", ruleArn).With("$id", target.Id).With("$d", RuleTargetDoc.Write(target)).ExecuteNonQuery();

    public bool RemoveTarget(string ruleArn, string id) =>
        session.Command("DELETE FROM event_targets WHERE rule_arn = $arn AND id = $id").With("$arn", ruleArn).With("$id", id).ExecuteNonQuery() > 0;

    public EventConnection? FindConnection(string accountId, string region, string name) =>
        One("SELECT doc FROM event_connections WHERE account = $a AND region = $r AND name = $n", accountId, region, name, EventConnectionDoc.Read);

    public IReadOnlyList<EventConnection> ListConnections(string accountId, string region) =>
        Many("SELECT doc FROM event_connections WHERE account = $a AND region = $r ORDER BY name", accountId, region, EventConnectionDoc.Read);

    public void UpsertConnection(EventConnection connection) =>
        Upsert("event_connections", connection.AccountId, connection.Region, connection.Name, EventConnectionDoc.Write(connection));

    public bool DeleteConnection(string accountId, string region, string name) => Delete("event_connections", accountId, region, name);

    public ApiDestination? FindDestination(string accountId, string region, string name) =>
        One("SELECT doc FROM event_api_destinations WHERE account = $a AND region = $r AND name = $n", accountId, region, name, ApiDestinationDoc.Read);

    public IReadOnlyList<ApiDestination> ListDestinations(string accountId, string region) =>
        Many("SELECT doc FROM event_api_destinations WHERE account = $a AND region = $r ORDER BY name", accountId, region, ApiDestinationDoc.Read);

    public void UpsertDestination(ApiDestination destination) =>
        Upsert("event_api_destinations", destination.AccountId, destination.Region, destination.Name, ApiDestinationDoc.Write(destination));

    public bool DeleteDestination(string accountId, string region, string name) => Delete("event_api_destinations", accountId, region, name);

    public long DeliveryCursor() =>
        session.Meta.Get(CursorKey) is { } text ? long.Parse(text, CultureInfo.InvariantCulture) : 0;

    public void SetDeliveryCursor(long sequence) => session.Meta.Set(CursorKey, sequence.ToString(CultureInfo.InvariantCulture));

    public void AddDeadLetter(DeadLetter letter) =>
        session.Command("INSERT INTO event_dead_letters (seq, event_id, rule_arn, target_id, target_arn, attempts, last_error, failed_at, redrive) VALUES ($s, $e, $ra, $ti, $ta, $n, $err, $t, 0)")
            .With("$s", letter.Sequence).With("$e", letter.EventId).With("$ra", letter.RuleArn).With("$ti", letter.TargetId).With("$ta", letter.TargetArn)
            .With("$n", letter.Attempts).With("$err", letter.LastError).With("$t", letter.FailedAt.ToUnixMs()).ExecuteNonQuery();

    public IReadOnlyList<DeadLetter> DeadLetters(bool redriveRequestedOnly)
    {
        var sql = "SELECT id, seq, event_id, rule_arn, target_id, target_arn, attempts, last_error, failed_at, redrive FROM event_dead_letters"
            + (redriveRequestedOnly ? " WHERE redrive = 1" : "") + " ORDER BY id";
        using var reader = session.Command(sql).ExecuteReader();
        var list = new List<DeadLetter>();
        while (reader.Read())
        {
            list.Add(new DeadLetter(reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetString(5),
                reader.GetInt32(6), reader.GetString(7), SqlExtensions.FromUnixMs(reader.GetInt64(8)), reader.GetInt64(9) == 1));
        }

        return list;
    }

    public int RequestRedrive(IReadOnlyList<long> ids)
    {
        if (ids.Count == 0)
        {
            return session.Command("UPDATE event_dead_letters SET redrive = 1").ExecuteNonQuery();
        }

        return ids.Sum(id => session.Command("UPDATE event_dead_letters SET redrive = 1 WHERE id = $id").With("$id", id).ExecuteNonQuery());
    }

    public void DeleteDeadLetter(long id) => session.Command("DELETE FROM event_dead_letters WHERE id = $id").With("$id", id).ExecuteNonQuery();

    public void UpdateDeadLetter(long id, int attempts, string lastError, DateTimeOffset failedAt) =>
        session.Command("UPDATE event_dead_letters SET attempts = $n, last_error = $err, failed_at = $t, redrive = 0 WHERE id = $id")
            .With("$id", id).With("$n", attempts).With("$err", lastError).With("$t", failedAt.ToUnixMs()).ExecuteNonQuery();

    private void Upsert(string table, string account, string region, string name, string doc) =>
        session.Command($"INSERT INTO {table} (account, region, name, doc) VALUES ($a, $r, $n, $d) ON CONFLICT (account, region, name) DO UPDATE SET doc = excluded.doc")
            .With("$a", account).With("$r", region).With("$n", name).With("$d", doc).ExecuteNonQuery();

    private bool Delete(string table, string account, string region, string name) =>
        session.Command($"DELETE FROM {table} WHERE account = $a AND region = $r AND name = $n").With("$a", account).With("$r", region).With("$n", name).ExecuteNonQuery() > 0;

    private T? One<T>(string sql, string account, string region, string name, Func<string, T> read)
        where T : class =>
        session.Command(sql).With("$a", account).With("$r", region).With("$n", name).ReadDoc(read);

    private List<T> Many<T>(string sql, string? account, string? region, Func<string, T> read)
    {
        var cmd = session.Command(sql);
        if (account is not null)
        {
            cmd.With("$a", account).With("$r", region);
        }

        return cmd.ReadDocs(read);
    }
}
