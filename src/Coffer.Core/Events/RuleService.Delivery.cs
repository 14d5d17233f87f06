using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Coffer.Core.Events;

/// <summary>One delivery to make: an event, for a rule's target, to an API destination.</summary>
public sealed record DeliveryTarget(string RuleArn, string TargetId, string TargetArn, ApiDestination? Destination);

/// <summary>What a delivery needs that is kept encrypted; its ToString shows none of it.</summary>
public sealed record DeliveryKeys(string SigningSecret, EventConnection? Connection, string? ConnectionSecret)
{
    public override string ToString() => "DeliveryKeys { (secrets redacted) }";
}

public sealed partial class RuleService
{
    private readonly ConcurrentDictionary<(string Arn, DateTimeOffset Modified), DeliveryKeys> _keys = new();

    /// <summary>Patterns compiled once per text: every event is matched against every enabled rule.</summary>
    private readonly ConcurrentDictionary<string, EventPattern?> _patterns = new(StringComparer.Ordinal);

    /// <summary>The targets of every enabled rule, in the event's account and region, whose pattern the event matches.</summary>
    public async Task<IReadOnlyList<DeliveryTarget>> MatchAsync(CofferEvent e, CancellationToken ct)
    {
        var json = JsonSerializer.SerializeToNode(e, EventJson.Default.CofferEvent)!.AsObject();
        return await store.ReadAsync<IReadOnlyList<DeliveryTarget>>(async (s, ct) =>
        {
            var list = new List<DeliveryTarget>();
            foreach (var rule in await s.Rules.EnabledRulesAsync(ct))
            {
                if (rule.AccountId != e.Account || rule.Region != e.Region || rule.EventPattern is null || !Matches(rule.EventPattern, json))
                {
                    continue;
                }

                foreach (var target in await s.Rules.TargetsAsync(rule.Arn, ct))
                {
                    list.Add(new DeliveryTarget(rule.Arn, target.Id, target.Arn, await FindDestinationAsync(s, target.Arn, ct)));
                }
            }

            return list;
        }, ct);
    }

    /// <summary>The destination a target ARN names now (it may have been deleted since the target was put).</summary>
    public async Task<DeliveryTarget> ResolveAsync(string ruleArn, string targetId, string targetArn, CancellationToken ct) =>
        new(ruleArn, targetId, targetArn, await store.ReadAsync((s, ct) => FindDestinationAsync(s, targetArn, ct), ct));

    /// <summary>The destination's signing secret and its connection's secret, decrypted as the events service and kept in memory.</summary>
    public async Task<DeliveryKeys> KeysAsync(ApiDestination destination, CancellationToken ct)
    {
        var connectionName = EventArns.NameOf(destination.ConnectionArn, "connection", out var region, out var account);
        var connection = connectionName is null ? null : await store.ReadAsync((s, ct) => s.Rules.FindConnectionAsync(account, region, connectionName, ct), ct);
        var cacheKey = (destination.Arn + "|" + connection?.Arn, connection is null || connection.LastModifiedTime < destination.LastModifiedTime ? destination.LastModifiedTime : connection.LastModifiedTime);
        if (_keys.TryGetValue(cacheKey, out var cached))
        {
            return cached;
        }

        var signing = await UnsealAsync(destination.AccountId, destination.Region, destination.Arn, "ApiDestinationArn", destination.EncryptedSigningSecret, ct);
        var secret = connection is null ? null : await UnsealAsync(connection.AccountId, connection.Region, connection.Arn, "ConnectionArn", connection.EncryptedSecret, ct);
        var keys = new DeliveryKeys(signing, connection, secret);
        _keys[cacheKey] = keys;
        return keys;
    }

    private bool Matches(string pattern, JsonObject e) =>
        _patterns.GetOrAdd(pattern, static text =>
        {
            try
            {
                return EventPattern.Parse(text);
            }
            catch (CofferException)
            {
                return null;
            }
        })?.Matches(e) ?? false;

    private static async ValueTask<ApiDestination?> FindDestinationAsync(Storage.IStoreSession s, string arn, CancellationToken ct)
    {
        var name = EventArns.NameOf(arn, "api-destination", out var region, out var account);
        return name is null ? null : await s.Rules.FindDestinationAsync(account, region, name, ct) is { } d && d.Arn == arn ? d : null;
    }
}
