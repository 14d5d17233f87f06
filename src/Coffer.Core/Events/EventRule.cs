namespace Coffer.Core.Events;

/// <summary>A rule on the account's default event bus: a pattern, a state, and its targets.</summary>
public sealed record EventRule
{
    public const string DefaultBus = "default";

    public required string AccountId { get; init; }

    public required string Region { get; init; }

    public required string Name { get; init; }

    public string? EventPattern { get; init; }

    public string? ScheduleExpression { get; init; }

    public bool Enabled { get; init; } = true;

    public string? Description { get; init; }

    public string? RoleArn { get; init; }

    public required string CreatedBy { get; init; }

    public string Arn => EventArns.Rule(Region, AccountId, Name);
}

/// <summary>Where a rule sends what it matched: for now an API destination (an HTTP endpoint).</summary>
public sealed record RuleTarget(string Id, string Arn, string? RoleArn);

/// <summary>How Coffer authenticates to an endpoint. The secret half is kept only encrypted.</summary>
public sealed record EventConnection
{
    public const string Basic = "BASIC";
    public const string OAuthClientCredentials = "OAUTH_CLIENT_CREDENTIALS";
    public const string ApiKey = "API_KEY";

    public required string AccountId { get; init; }

    public required string Region { get; init; }

    public required string Name { get; init; }

    /// <summary>The generated suffix of the ARN, as AWS makes one.</summary>
    public required string Uuid { get; init; }

    public string? Description { get; init; }

    public required string AuthorizationType { get; init; }

    /// <summary>What may be shown: the user name, the API key's header name, the OAuth client id and endpoint.</summary>
    public required ConnectionPublicParameters Public { get; init; }

    /// <summary>The password, API key value or client secret, encrypted by KMS under the connection's ARN.</summary>
    public required byte[] EncryptedSecret { get; init; }

    public required DateTimeOffset CreationTime { get; init; }

    public required DateTimeOffset LastModifiedTime { get; init; }

    public string Arn => EventArns.Connection(Region, AccountId, Name, Uuid);
}

/// <summary>A connection's non-secret parameters.</summary>
public sealed record ConnectionPublicParameters(string? Username, string? ApiKeyName, string? ClientId, string? AuthorizationEndpoint, string? OAuthHttpMethod);

/// <summary>An HTTP endpoint that rules can target, with the connection that authenticates to it.</summary>
public sealed record ApiDestination
{
    public required string AccountId { get; init; }

    public required string Region { get; init; }

    public required string Name { get; init; }

    public required string Uuid { get; init; }

    public string? Description { get; init; }

    public required string ConnectionArn { get; init; }

    public required string InvocationEndpoint { get; init; }

    public required string HttpMethod { get; init; }

    public int? InvocationRateLimitPerSecond { get; init; }

    /// <summary>The key of the delivery's X-Coffer-Signature, encrypted by KMS under the destination's ARN.</summary>
    public required byte[] EncryptedSigningSecret { get; init; }

    public required DateTimeOffset CreationTime { get; init; }

    public required DateTimeOffset LastModifiedTime { get; init; }

    public string Arn => EventArns.ApiDestination(Region, AccountId, Name, Uuid);
}

/// <summary>An event that a target did not take after every retry, kept until redriven.</summary>
public sealed record DeadLetter(long Id, long Sequence, string EventId, string RuleArn, string TargetId, string TargetArn, int Attempts, string LastError, DateTimeOffset FailedAt, bool RedriveRequested);

public static class EventArns
{
    public static string Rule(string region, string account, string name) => Aws.Arn.For("events", region, account, "rule/" + name).ToString();

    public static string Connection(string region, string account, string name, string uuid) => Aws.Arn.For("events", region, account, $"connection/{name}/{uuid}").ToString();

    public static string ApiDestination(string region, string account, string name, string uuid) => Aws.Arn.For("events", region, account, $"api-destination/{name}/{uuid}").ToString();

    /// <summary>The name in <c>arn:...:events:REGION:ACCOUNT:KIND/NAME/UUID</c>, or null.</summary>
    public static string? NameOf(string arn, string kind, out string region, out string account)
    {
        region = account = "";
        if (!Aws.Arn.TryParse(arn, out var parsed) || parsed.Value.Service != "events" || !parsed.Value.Resource.StartsWith(kind + "/", StringComparison.Ordinal))
        {
            return null;
        }

        region = parsed.Value.Region;
        account = parsed.Value.Account;
        return parsed.Value.Resource[(kind.Length + 1)..].Split('/')[0];
    }
}

/// <summary>Rules, targets, connections, API destinations, and delivery's state (cursor and dead letters).</summary>
public interface IRuleRepository
{
    ValueTask<EventRule?> FindRuleAsync(string accountId, string region, string name, CancellationToken cancellationToken);

    ValueTask<IReadOnlyList<EventRule>> ListRulesAsync(string accountId, string region, CancellationToken cancellationToken);

    /// <summary>Every enabled rule with a pattern, in every account and region: what delivery matches against.</summary>
    ValueTask<IReadOnlyList<EventRule>> EnabledRulesAsync(CancellationToken cancellationToken);

    ValueTask UpsertRuleAsync(EventRule rule, CancellationToken cancellationToken);

    ValueTask<bool> DeleteRuleAsync(string accountId, string region, string name, CancellationToken cancellationToken);

    ValueTask<IReadOnlyList<RuleTarget>> TargetsAsync(string ruleArn, CancellationToken cancellationToken);

    ValueTask PutTargetAsync(string ruleArn, RuleTarget target, CancellationToken cancellationToken);

    ValueTask<bool> RemoveTargetAsync(string ruleArn, string id, CancellationToken cancellationToken);

    ValueTask<EventConnection?> FindConnectionAsync(string accountId, string region, string name, CancellationToken cancellationToken);

    ValueTask<IReadOnlyList<EventConnection>> ListConnectionsAsync(string accountId, string region, CancellationToken cancellationToken);

    ValueTask UpsertConnectionAsync(EventConnection connection, CancellationToken cancellationToken);

    ValueTask<bool> DeleteConnectionAsync(string accountId, string region, string name, CancellationToken cancellationToken);

    ValueTask<ApiDestination?> FindDestinationAsync(string accountId, string region, string name, CancellationToken cancellationToken);

    ValueTask<IReadOnlyList<ApiDestination>> ListDestinationsAsync(string accountId, string region, CancellationToken cancellationToken);

    ValueTask UpsertDestinationAsync(ApiDestination destination, CancellationToken cancellationToken);

    ValueTask<bool> DeleteDestinationAsync(string accountId, string region, string name, CancellationToken cancellationToken);

    /// <summary>The outbox sequence up to which every event has been delivered or dead-lettered.</summary>
    ValueTask<long> DeliveryCursorAsync(CancellationToken cancellationToken);

    ValueTask SetDeliveryCursorAsync(long sequence, CancellationToken cancellationToken);

    ValueTask AddDeadLetterAsync(DeadLetter letter, CancellationToken cancellationToken);

    ValueTask<IReadOnlyList<DeadLetter>> DeadLettersAsync(bool redriveRequestedOnly, CancellationToken cancellationToken);

    /// <summary>Marks dead letters for another delivery (all when <paramref name="ids"/> is empty); returns how many.</summary>
    ValueTask<int> RequestRedriveAsync(IReadOnlyList<long> ids, CancellationToken cancellationToken);

    ValueTask DeleteDeadLetterAsync(long id, CancellationToken cancellationToken);

    ValueTask UpdateDeadLetterAsync(long id, int attempts, string lastError, DateTimeOffset failedAt, CancellationToken cancellationToken);
}
