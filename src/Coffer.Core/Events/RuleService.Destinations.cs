using System.Security.Cryptography;
using Coffer.Core.Access;

namespace Coffer.Core.Events;

public sealed partial class RuleService
{
    private const string DestinationType = "AWS::Events::ApiDestination";

    public async Task<ApiDestination> CreateApiDestinationAsync(Call call, string name, string? description, string connectionArn, string endpoint, string httpMethod, int? rateLimit, CancellationToken ct)
    {
        RequireEndpoint(endpoint);
        var now = time.GetUtcNow();
        var destination = new ApiDestination
        {
            AccountId = call.AccountId,
            Region = call.Region,
            Name = name,
            Uuid = Guid.NewGuid().ToString(),
            Description = description,
            ConnectionArn = connectionArn,
            InvocationEndpoint = endpoint,
            HttpMethod = httpMethod,
            InvocationRateLimitPerSecond = rateLimit ?? 300,
            EncryptedSigningSecret = [],
            CreationTime = now,
            LastModifiedTime = now,
        };
        await AuthorizeResourceAsync(call, "events:CreateApiDestination", destination.Arn, DestinationType, ct);
        await RequireConnectionAsync(call, connectionArn, ct);
        if (await store.ReadAsync((s, ct) => s.Rules.FindDestinationAsync(call.AccountId, call.Region, name, ct), ct) is not null)
        {
            throw EventErrors.DestinationExists(name);
        }

        var signingSecret = "cofsec_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        destination = destination with { EncryptedSigningSecret = await SealAsync(call, destination.Arn, "ApiDestinationArn", signingSecret, ct) };
        return await audit.WriteChangeAsync(call, async (s, ct) =>
        {
            if (await s.Rules.FindDestinationAsync(call.AccountId, call.Region, name, ct) is not null)
            {
                throw EventErrors.DestinationExists(name);
            }

            await s.Rules.UpsertDestinationAsync(destination, ct);
            return destination;
        }, ct);
    }

    public async Task<ApiDestination> DescribeApiDestinationAsync(Call call, string name, CancellationToken ct)
    {
        var destination = await store.ReadAsync((s, ct) => s.Rules.FindDestinationAsync(call.AccountId, call.Region, name, ct), ct);
        await AuthorizeResourceAsync(call, "events:DescribeApiDestination", destination?.Arn ?? EventArns.ApiDestination(call.Region, call.AccountId, name, "*"), DestinationType, ct);
        return destination ?? throw EventErrors.DestinationNotFound(name);
    }

    public async Task<EventPage<ApiDestination>> ListApiDestinationsAsync(Call call, string? namePrefix, string? connectionArn, int? limit, string? nextToken, CancellationToken ct)
    {
        await authorizer.AuthorizeAsync(call, new AccessRequest("events:ListApiDestinations", "*"), cancellationToken: ct);
        var all = await store.ReadAsync((s, ct) => s.Rules.ListDestinationsAsync(call.AccountId, call.Region, ct), ct);
        return Page([.. all.Where(d => (namePrefix is null || d.Name.StartsWith(namePrefix, StringComparison.Ordinal)) && (connectionArn is null || d.ConnectionArn == connectionArn))], limit, nextToken);
    }

    public async Task<ApiDestination> UpdateApiDestinationAsync(Call call, string name, string? description, string? connectionArn, string? endpoint, string? httpMethod, int? rateLimit, CancellationToken ct)
    {
        var current = await DescribeApiDestinationAsync(call, name, ct);
        await AuthorizeResourceAsync(call, "events:UpdateApiDestination", current.Arn, DestinationType, ct);
        if (endpoint is not null)
        {
            RequireEndpoint(endpoint);
        }

        if (connectionArn is not null)
        {
            await RequireConnectionAsync(call, connectionArn, ct);
        }

        var updated = current with
        {
            Description = description ?? current.Description,
            ConnectionArn = connectionArn ?? current.ConnectionArn,
            InvocationEndpoint = endpoint ?? current.InvocationEndpoint,
            HttpMethod = httpMethod ?? current.HttpMethod,
            InvocationRateLimitPerSecond = rateLimit ?? current.InvocationRateLimitPerSecond,
            LastModifiedTime = time.GetUtcNow(),
        };
        return await audit.WriteChangeAsync(call, async (s, ct) =>
        {
            _ = await s.Rules.FindDestinationAsync(call.AccountId, call.Region, name, ct) ?? throw EventErrors.DestinationNotFound(name);
            await s.Rules.UpsertDestinationAsync(updated, ct);
            return updated;
        }, ct);
    }

    public async Task DeleteApiDestinationAsync(Call call, string name, CancellationToken ct)
    {
        var current = await DescribeApiDestinationAsync(call, name, ct);
        await AuthorizeResourceAsync(call, "events:DeleteApiDestination", current.Arn, DestinationType, ct);
        await audit.WriteChangeAsync(call, async (s, ct) => await s.Rules.DeleteDestinationAsync(call.AccountId, call.Region, name, ct) ? true : throw EventErrors.DestinationNotFound(name), ct);
    }

    /// <summary>The key that signs deliveries to a destination (Coffer's own GetApiDestinationSigningSecret), for its receiver to verify them.</summary>
    public async Task<string> GetSigningSecretAsync(Call call, string name, CancellationToken ct)
    {
        var destination = await store.ReadAsync((s, ct) => s.Rules.FindDestinationAsync(call.AccountId, call.Region, name, ct), ct);
        await AuthorizeResourceAsync(call, "coffer:GetApiDestinationSigningSecret", destination?.Arn ?? EventArns.ApiDestination(call.Region, call.AccountId, name, "*"), DestinationType, ct);
        return destination is null
            ? throw EventErrors.DestinationNotFound(name)
            : await UnsealAsync(destination.AccountId, destination.Region, destination.Arn, "ApiDestinationArn", destination.EncryptedSigningSecret, ct);
    }

    private async ValueTask RequireConnectionAsync(Call call, string connectionArn, CancellationToken ct)
    {
        var name = EventArns.NameOf(connectionArn, "connection", out var region, out var account);
        var connection = name is null || region != call.Region || account != call.AccountId ? null : await store.ReadAsync((s, ct) => s.Rules.FindConnectionAsync(account, region, name, ct), ct);
        if (connection is null || connection.Arn != connectionArn)
        {
            throw EventErrors.ConnectionNotFound(name ?? connectionArn);
        }
    }

    private static void RequireEndpoint(string endpoint)
    {
        if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            throw EventErrors.Validation($"InvocationEndpoint '{endpoint}' is not an absolute http or https URL.");
        }
    }
}
