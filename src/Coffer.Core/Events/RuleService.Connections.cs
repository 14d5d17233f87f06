using System.Security.Cryptography;
using System.Text;
using Coffer.Core.Access;

namespace Coffer.Core.Events;

/// <summary>A connection's authorization as the caller gives it; <see cref="Secret"/> is the password, API key value or client secret.</summary>
public sealed record ConnectionAuth(string? Username, string? ApiKeyName, string? ClientId, string? AuthorizationEndpoint, string? OAuthHttpMethod, string? Secret)
{
    public override string ToString() => "ConnectionAuth { (secret redacted) }";

    public ConnectionPublicParameters Public => new(Username, ApiKeyName, ClientId, AuthorizationEndpoint, OAuthHttpMethod);
}

public sealed partial class RuleService
{
    /// <summary>The KMS key a connection's secret is encrypted with: Secrets Manager's AWS managed key,
    /// which is where EventBridge keeps connection secrets in AWS.</summary>
    public const string DefaultSecretKey = "alias/aws/secretsmanager";

    private const string ConnectionType = "AWS::Events::Connection";
    private const string EventsService = "events.amazonaws.com";

    public async Task<EventConnection> CreateConnectionAsync(Call call, string name, string? description, string authorizationType, ConnectionAuth auth, CancellationToken ct)
    {
        RequireAuth(authorizationType, auth, requireSecret: true);
        var now = time.GetUtcNow();
        var connection = new EventConnection
        {
            AccountId = call.AccountId,
            Region = call.Region,
            Name = name,
            Uuid = Guid.NewGuid().ToString(),
            Description = description,
            AuthorizationType = authorizationType,
            Public = auth.Public,
            EncryptedSecret = [],
            CreationTime = now,
            LastModifiedTime = now,
        };
        await AuthorizeResourceAsync(call, "events:CreateConnection", connection.Arn, ConnectionType, ct);
        if (await store.ReadAsync((s, ct) => s.Rules.FindConnectionAsync(call.AccountId, call.Region, name, ct), ct) is not null)
        {
            throw EventErrors.ConnectionExists(name);
        }

        connection = connection with { EncryptedSecret = await SealAsync(call, connection.Arn, "ConnectionArn", auth.Secret!, ct) };
        return await audit.WriteChangeAsync(call, async (s, ct) =>
        {
            if (await s.Rules.FindConnectionAsync(call.AccountId, call.Region, name, ct) is not null)
            {
                throw EventErrors.ConnectionExists(name);
            }

            await s.Rules.UpsertConnectionAsync(connection, ct);
            return connection;
        }, ct);
    }

    public async Task<EventConnection> DescribeConnectionAsync(Call call, string name, CancellationToken ct)
    {
        var connection = await store.ReadAsync((s, ct) => s.Rules.FindConnectionAsync(call.AccountId, call.Region, name, ct), ct);
        await AuthorizeResourceAsync(call, "events:DescribeConnection", connection?.Arn ?? EventArns.Connection(call.Region, call.AccountId, name, "*"), ConnectionType, ct);
        return connection ?? throw EventErrors.ConnectionNotFound(name);
    }

    public async Task<EventPage<EventConnection>> ListConnectionsAsync(Call call, string? namePrefix, int? limit, string? nextToken, CancellationToken ct)
    {
        await authorizer.AuthorizeAsync(call, new AccessRequest("events:ListConnections", "*"), cancellationToken: ct);
        var all = await store.ReadAsync((s, ct) => s.Rules.ListConnectionsAsync(call.AccountId, call.Region, ct), ct);
        return Page([.. all.Where(c => namePrefix is null || c.Name.StartsWith(namePrefix, StringComparison.Ordinal))], limit, nextToken);
    }

    /// <summary>Changes a connection; a new secret replaces the old one, a missing one keeps it.</summary>
    public async Task<EventConnection> UpdateConnectionAsync(Call call, string name, string? description, string? authorizationType, ConnectionAuth? auth, CancellationToken ct)
    {
        var current = await DescribeConnectionAsync(call, name, ct);
        await AuthorizeResourceAsync(call, "events:UpdateConnection", current.Arn, ConnectionType, ct);
        var type = authorizationType ?? current.AuthorizationType;
        if (auth is not null)
        {
            RequireAuth(type, auth, requireSecret: type != current.AuthorizationType);
        }

        var sealedSecret = auth?.Secret is { } secret ? await SealAsync(call, current.Arn, "ConnectionArn", secret, ct) : current.EncryptedSecret;
        var updated = current with
        {
            Description = description ?? current.Description,
            AuthorizationType = type,
            Public = auth is null ? current.Public : Merge(current.Public, auth.Public),
            EncryptedSecret = sealedSecret,
            LastModifiedTime = time.GetUtcNow(),
        };
        return await audit.WriteChangeAsync(call, async (s, ct) =>
        {
            _ = await s.Rules.FindConnectionAsync(call.AccountId, call.Region, name, ct) ?? throw EventErrors.ConnectionNotFound(name);
            await s.Rules.UpsertConnectionAsync(updated, ct);
            return updated;
        }, ct);
    }

    public async Task<EventConnection> DeleteConnectionAsync(Call call, string name, CancellationToken ct)
    {
        var current = await DescribeConnectionAsync(call, name, ct);
        await AuthorizeResourceAsync(call, "events:DeleteConnection", current.Arn, ConnectionType, ct);
        return await audit.WriteChangeAsync(call, async (s, ct) => await s.Rules.DeleteConnectionAsync(call.AccountId, call.Region, name, ct) ? current : throw EventErrors.ConnectionNotFound(name), ct);
    }

    private static ConnectionPublicParameters Merge(ConnectionPublicParameters old, ConnectionPublicParameters given) => new(
        given.Username ?? old.Username, given.ApiKeyName ?? old.ApiKeyName, given.ClientId ?? old.ClientId, given.AuthorizationEndpoint ?? old.AuthorizationEndpoint, given.OAuthHttpMethod ?? old.OAuthHttpMethod);

    private static void RequireAuth(string type, ConnectionAuth auth, bool requireSecret)
    {
        var (what, present) = type switch
        {
            EventConnection.Basic => ("BasicAuthParameters (Username, Password)", auth.Username is not null),
            EventConnection.ApiKey => ("ApiKeyAuthParameters (ApiKeyName, ApiKeyValue)", auth.ApiKeyName is not null),
            _ => ("OAuthParameters (ClientParameters, AuthorizationEndpoint, HttpMethod)", auth.ClientId is not null && Uri.TryCreate(auth.AuthorizationEndpoint, UriKind.Absolute, out _)),
        };
        if ((requireSecret && (!present || string.IsNullOrEmpty(auth.Secret))) || (!requireSecret && auth.Public != new ConnectionPublicParameters(null, null, null, null, null) && !present))
        {
            throw EventErrors.Validation($"AuthorizationType {type} requires {what}.");
        }
    }

    /// <summary>Encrypts a secret with KMS as the events service, bound to the resource's ARN.</summary>
    private async Task<byte[]> SealAsync(Call call, string arn, string contextKey, string secret, CancellationToken ct)
    {
        var service = Call.ByService(EventsService, call.AccountId, call.Region, "Encrypt", time.GetUtcNow(), arn, ConnectionType);
        var plaintext = Encoding.UTF8.GetBytes(secret);
        try
        {
            return (await keys.EncryptAsync(service, DefaultSecretKey, plaintext, new Dictionary<string, string> { [contextKey] = arn }, ct: ct)).CiphertextBlob;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }

    /// <summary>Decrypts what <see cref="SealAsync"/> encrypted, as the events service.</summary>
    private async Task<string> UnsealAsync(string account, string region, string arn, string contextKey, byte[] blob, CancellationToken ct)
    {
        var service = Call.ByService(EventsService, account, region, "Decrypt", time.GetUtcNow(), arn, ConnectionType);
        var plaintext = (await keys.DecryptAsync(service, blob, new Dictionary<string, string> { [contextKey] = arn }, ct: ct)).Plaintext;
        try
        {
            return Encoding.UTF8.GetString(plaintext);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }

    private ValueTask AuthorizeResourceAsync(Call call, string action, string arn, string type, CancellationToken ct)
    {
        call.AddResource(arn, type);
        return authorizer.AuthorizeAsync(call, new AccessRequest(action, arn), cancellationToken: ct);
    }
}
