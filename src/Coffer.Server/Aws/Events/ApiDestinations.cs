using Coffer.Core.Events;
using Coffer.Server.Aws.Protocol;

namespace Coffer.Server.Aws.Events;

public sealed record CreateApiDestinationRequest(string Name, string? Description, string ConnectionArn, string InvocationEndpoint, string HttpMethod, int? InvocationRateLimitPerSecond);

public sealed record UpdateApiDestinationRequest(string Name, string? Description, string? ConnectionArn, string? InvocationEndpoint, string? HttpMethod, int? InvocationRateLimitPerSecond);

public sealed record ApiDestinationStateResponse(string ApiDestinationArn, string ApiDestinationState, DateTimeOffset CreationTime, DateTimeOffset LastModifiedTime)
{
    public static ApiDestinationStateResponse From(ApiDestination d) => new(d.Arn, ApiDestinations.Active, d.CreationTime, d.LastModifiedTime);
}

public sealed record ApiDestinationEntry(string ApiDestinationArn, string Name, string? Description, string ApiDestinationState, string ConnectionArn, string InvocationEndpoint, string HttpMethod, int? InvocationRateLimitPerSecond, DateTimeOffset CreationTime, DateTimeOffset LastModifiedTime)
{
    public static ApiDestinationEntry From(ApiDestination d) =>
        new(d.Arn, d.Name, d.Description, ApiDestinations.Active, d.ConnectionArn, d.InvocationEndpoint, d.HttpMethod, d.InvocationRateLimitPerSecond, d.CreationTime, d.LastModifiedTime);
}

public sealed record ListApiDestinationsRequest(string? NamePrefix, string? ConnectionArn, string? NextToken, int? Limit);

public sealed record ListApiDestinationsResponse(List<ApiDestinationEntry> ApiDestinations, string? NextToken);

/// <summary>CreateApiDestination, DescribeApiDestination, ListApiDestinations, UpdateApiDestination and DeleteApiDestination.</summary>
public static class ApiDestinations
{
    public const string Active = "ACTIVE";

    public static JsonOperation Create { get; } = JsonOperation.Create(
        "CreateApiDestination", static () => EventsJson.Default.CreateApiDestinationRequest, static () => EventsJson.Default.ApiDestinationStateResponse,
        async (s, call, r, ct) => ApiDestinationStateResponse.From(await s.Rules.CreateApiDestinationAsync(call, r.Name, r.Description, r.ConnectionArn, r.InvocationEndpoint, r.HttpMethod, r.InvocationRateLimitPerSecond, ct)));

    public static JsonOperation Describe { get; } = JsonOperation.Create(
        "DescribeApiDestination", static () => EventsJson.Default.NameRequest, static () => EventsJson.Default.ApiDestinationEntry,
        async (s, call, r, ct) => ApiDestinationEntry.From(await s.Rules.DescribeApiDestinationAsync(call, r.Name, ct)));

    public static JsonOperation List { get; } = JsonOperation.Create(
        "ListApiDestinations", static () => EventsJson.Default.ListApiDestinationsRequest, static () => EventsJson.Default.ListApiDestinationsResponse,
        async (s, call, r, ct) =>
        {
            var page = await s.Rules.ListApiDestinationsAsync(call, r.NamePrefix, r.ConnectionArn, r.Limit, r.NextToken, ct);
            return new ListApiDestinationsResponse([.. page.Items.Select(ApiDestinationEntry.From)], page.NextToken);
        });

    public static JsonOperation Update { get; } = JsonOperation.Create(
        "UpdateApiDestination", static () => EventsJson.Default.UpdateApiDestinationRequest, static () => EventsJson.Default.ApiDestinationStateResponse,
        async (s, call, r, ct) => ApiDestinationStateResponse.From(await s.Rules.UpdateApiDestinationAsync(call, r.Name, r.Description, r.ConnectionArn, r.InvocationEndpoint, r.HttpMethod, r.InvocationRateLimitPerSecond, ct)));

    public static JsonOperation Delete { get; } = JsonOperation.Create(
        "DeleteApiDestination", static () => EventsJson.Default.NameRequest, static () => EventsJson.Default.Empty,
        async (s, call, r, ct) =>
        {
            await s.Rules.DeleteApiDestinationAsync(call, r.Name, ct);
            return new Empty();
        });
}
