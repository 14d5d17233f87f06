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
        AuthorizeResource(call, "events:CreateApiDestination", destination.Arn, DestinationType);
        RequireConnection(call, connectionArn);
        if (store.Read(s => s.Rules.FindDestination(call.AccountId, call.Region, name)) is not null)
        {
            throw EventErrors.DestinationExists(name);
        }

        var signingSecret = "cofsec_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        destination = destination with { EncryptedSigningSecret = await SealAsync(call, destination.Arn, "ApiDestinationArn", signingSecret, ct) };
        return await audit.WriteChangeAsync(call, s =>
        {
            if (s.Rules.FindDestination(call.AccountId, call.Region, name) is not null)
            {
                throw EventErrors.DestinationExists(name);
            }

            s.Rules.UpsertDestination(destination);
            return destination;
        }, ct);
    }

    public ApiDestination DescribeApiDestination(Call call, string name)
    {
        var destination = store.Read(s => s.Rules.FindDestination(call.AccountId, call.Region, name));
        AuthorizeResource(call, "events:DescribeApiDestination", destination?.Arn ?? EventArns.ApiDestination(call.Region, call.AccountId, name, "*"), DestinationType);
        return destination ?? throw EventErrors.DestinationNotFound(name);
    }

    public EventPage<ApiDestination> ListApiDestinations(Call call, string? namePrefix, string? connectionArn, int? limit, string? nextToken)
    {
        authorizer.Authorize(call, new AccessRequest("events:ListApiDestinations", "*"));
        var all = store.Read(s => s.Rules.ListDestinations(call.AccountId, call.Region));
        return Page([.. all.Where(d => (namePrefix is null || d.Name.StartsWith(namePrefix, StringComparison.Ordinal)) && (connectionArn is null || d.ConnectionArn == connectionArn))], limit, nextToken);
    }

    public Task<ApiDestination> UpdateApiDestinationAsync(Call call, string name, string? description, string? connectionArn, string? endpoint, string? httpMethod, int? rateLimit, CancellationToken ct)
    {
        var current = DescribeApiDestination(call, name);
        AuthorizeResource(call, "events:UpdateApiDestination", current.Arn, DestinationType);
        if (endpoint is not null)
        {
            RequireEndpoint(endpoint);
        }

        if (connectionArn is not null)
        {
            RequireConnection(call, connectionArn);
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
        return audit.WriteChangeAsync(call, s =>
        {
            _ = s.Rules.FindDestination(call.AccountId, call.Region, name) ?? throw EventErrors.DestinationNotFound(name);
            s.Rules.UpsertDestination(updated);
            return updated;
        }, ct);
    }

    public async Task DeleteApiDestinationAsync(Call call, string name, CancellationToken ct)
    {
        var current = DescribeApiDestination(call, name);
        AuthorizeResource(call, "events:DeleteApiDestination", current.Arn, DestinationType);
        await audit.WriteChangeAsync(call, s => s.Rules.DeleteDestination(call.AccountId, call.Region, name) ? true : throw EventErrors.DestinationNotFound(name), ct);
    }

    /// <summary>The key that signs deliveries to a destination (Coffer's own GetApiDestinationSigningSecret), for its receiver to verify them.</summary>
    public async Task<string> GetSigningSecretAsync(Call call, string name, CancellationToken ct)
    {
        var destination = store.Read(s => s.Rules.FindDestination(call.AccountId, call.Region, name));
        AuthorizeResource(call, "coffer:GetApiDestinationSigningSecret", destination?.Arn ?? EventArns.ApiDestination(call.Region, call.AccountId, name, "*"), DestinationType);
        return destination is null
            ? throw EventErrors.DestinationNotFound(name)
            : await UnsealAsync(destination.AccountId, destination.Region, destination.Arn, "ApiDestinationArn", destination.EncryptedSigningSecret, ct);
    }

    private void RequireConnection(Call call, string connectionArn)
    {
        var name = EventArns.NameOf(connectionArn, "connection", out var region, out var account);
        var connection = name is null || region != call.Region || account != call.AccountId ? null : store.Read(s => s.Rules.FindConnection(account, region, name));
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
