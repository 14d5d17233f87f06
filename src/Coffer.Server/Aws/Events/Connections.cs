using Coffer.Core.Events;
using Coffer.Server.Aws.Protocol;

namespace Coffer.Server.Aws.Events;

public sealed record BasicAuth(string? Username, string? Password)
{
    public override string ToString() => "BasicAuth { (redacted) }";
}

public sealed record ApiKeyAuth(string? ApiKeyName, string? ApiKeyValue)
{
    public override string ToString() => "ApiKeyAuth { (redacted) }";
}

public sealed record OAuthClient(string? ClientID, string? ClientSecret)
{
    public override string ToString() => "OAuthClient { (redacted) }";
}

public sealed record OAuthAuth(OAuthClient? ClientParameters, string? AuthorizationEndpoint, string? HttpMethod);

public sealed record AuthParameters(BasicAuth? BasicAuthParameters, ApiKeyAuth? ApiKeyAuthParameters, OAuthAuth? OAuthParameters)
{
    public ConnectionAuth ToDomain() => new(
        BasicAuthParameters?.Username,
        ApiKeyAuthParameters?.ApiKeyName,
        OAuthParameters?.ClientParameters?.ClientID,
        OAuthParameters?.AuthorizationEndpoint,
        OAuthParameters?.HttpMethod,
        BasicAuthParameters?.Password ?? ApiKeyAuthParameters?.ApiKeyValue ?? OAuthParameters?.ClientParameters?.ClientSecret);

    /// <summary>What DescribeConnection shows: never the secret half.</summary>
    public static AuthParameters Public(EventConnection c) => c.AuthorizationType switch
    {
        EventConnection.Basic => new(new BasicAuth(c.Public.Username, null), null, null),
        EventConnection.ApiKey => new(null, new ApiKeyAuth(c.Public.ApiKeyName, null), null),
        _ => new(null, null, new OAuthAuth(new OAuthClient(c.Public.ClientId, null), c.Public.AuthorizationEndpoint, c.Public.OAuthHttpMethod)),
    };
}

public sealed record CreateConnectionRequest(string Name, string? Description, string AuthorizationType, AuthParameters AuthParameters, string? KmsKeyIdentifier);

public sealed record UpdateConnectionRequest(string Name, string? Description, string? AuthorizationType, AuthParameters? AuthParameters, string? KmsKeyIdentifier);

public sealed record ConnectionStateResponse(string ConnectionArn, string ConnectionState, DateTimeOffset CreationTime, DateTimeOffset LastModifiedTime, DateTimeOffset? LastAuthorizedTime)
{
    public static ConnectionStateResponse From(EventConnection c) => new(c.Arn, Connections.Authorized, c.CreationTime, c.LastModifiedTime, c.LastModifiedTime);
}

public sealed record NameRequest(string Name);

public sealed record DescribeConnectionResponse(string ConnectionArn, string Name, string? Description, string ConnectionState, string AuthorizationType, AuthParameters AuthParameters, DateTimeOffset CreationTime, DateTimeOffset LastModifiedTime, DateTimeOffset LastAuthorizedTime);

public sealed record ConnectionEntry(string ConnectionArn, string Name, string ConnectionState, string AuthorizationType, DateTimeOffset CreationTime, DateTimeOffset LastModifiedTime, DateTimeOffset LastAuthorizedTime);

public sealed record ListConnectionsRequest(string? NamePrefix, string? ConnectionState, string? NextToken, int? Limit);

public sealed record ListConnectionsResponse(List<ConnectionEntry> Connections, string? NextToken);

/// <summary>CreateConnection, DescribeConnection, ListConnections, UpdateConnection and DeleteConnection.</summary>
public static class Connections
{
    public const string Authorized = "AUTHORIZED";

    public static JsonOperation Create { get; } = JsonOperation.Create(
        "CreateConnection", static () => EventsJson.Default.CreateConnectionRequest, static () => EventsJson.Default.ConnectionStateResponse,
        async (s, call, r, ct) =>
        {
            RequireDefaultKey(r.KmsKeyIdentifier);
            return ConnectionStateResponse.From(await s.Rules.CreateConnectionAsync(call, r.Name, r.Description, r.AuthorizationType, r.AuthParameters.ToDomain(), ct));
        });

    public static JsonOperation Describe { get; } = JsonOperation.Create(
        "DescribeConnection", static () => EventsJson.Default.NameRequest, static () => EventsJson.Default.DescribeConnectionResponse,
        async (s, call, r, ct) =>
        {
            var c = await s.Rules.DescribeConnectionAsync(call, r.Name, ct);
            return new DescribeConnectionResponse(c.Arn, c.Name, c.Description, Authorized, c.AuthorizationType, AuthParameters.Public(c), c.CreationTime, c.LastModifiedTime, c.LastModifiedTime);
        });

    public static JsonOperation List { get; } = JsonOperation.Create(
        "ListConnections", static () => EventsJson.Default.ListConnectionsRequest, static () => EventsJson.Default.ListConnectionsResponse,
        async (s, call, r, ct) =>
        {
            var page = await s.Rules.ListConnectionsAsync(call, r.NamePrefix, r.Limit, r.NextToken, ct);
            var items = page.Items.Where(_ => r.ConnectionState is null or Authorized)
                .Select(c => new ConnectionEntry(c.Arn, c.Name, Authorized, c.AuthorizationType, c.CreationTime, c.LastModifiedTime, c.LastModifiedTime));
            return new ListConnectionsResponse([.. items], page.NextToken);
        });

    public static JsonOperation Update { get; } = JsonOperation.Create(
        "UpdateConnection", static () => EventsJson.Default.UpdateConnectionRequest, static () => EventsJson.Default.ConnectionStateResponse,
        async (s, call, r, ct) =>
        {
            RequireDefaultKey(r.KmsKeyIdentifier);
            return ConnectionStateResponse.From(await s.Rules.UpdateConnectionAsync(call, r.Name, r.Description, r.AuthorizationType, r.AuthParameters?.ToDomain(), ct));
        });

    public static JsonOperation Delete { get; } = JsonOperation.Create(
        "DeleteConnection", static () => EventsJson.Default.NameRequest, static () => EventsJson.Default.ConnectionStateResponse,
        async (s, call, r, ct) => ConnectionStateResponse.From(await s.Rules.DeleteConnectionAsync(call, r.Name, ct)) with { ConnectionState = "DELETING" });

    /// <summary>Connection secrets are encrypted with the default key only, for now.</summary>
    private static void RequireDefaultKey(string? kmsKeyIdentifier)
    {
        if (!string.IsNullOrEmpty(kmsKeyIdentifier))
        {
            throw EventErrors.Validation("Coffer encrypts connection secrets with its default key; KmsKeyIdentifier is not supported yet.");
        }
    }
}
