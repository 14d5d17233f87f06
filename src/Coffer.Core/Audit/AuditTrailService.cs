using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Coffer.Core.Access;
using Coffer.Core.Storage;

namespace Coffer.Core.Audit;

/// <summary>A found event: the record, and its JSON exactly as the chain holds it.</summary>
public sealed record TrailEvent(AuditRecord Record, string Json);

/// <summary>A page of events. <paramref name="ArchivedUntil"/>: the time of the last record that left the
/// live log for the archives (lookups search only the live log), or null if none has.</summary>
public sealed record LookupEventsResult(IReadOnlyList<TrailEvent> Events, string? NextToken, DateTimeOffset? ArchivedUntil = null);

/// <summary>
/// The audit trail as CloudTrail's LookupEvents serves it: the caller's account and region, at most
/// one lookup attribute, a time range, newest first, a page at a time. Authorized as
/// <c>cloudtrail:LookupEvents</c>, which, as in AWS, has no resource-level permissions.
/// </summary>
public sealed class AuditTrailService(ICofferStore store, IAuthorizer authorizer)
{
    public const int DefaultMaxResults = 50;

    /// <summary>Calls per service and operation over a period (at most 366 days), for those who may read the trail.</summary>
    public async Task<IReadOnlyList<UsageCount>> UsageAsync(Call call, DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        await authorizer.AuthorizeAsync(call, new AccessRequest("cloudtrail:LookupEvents", "*"), cancellationToken: ct);
        if (from > to || to - from > TimeSpan.FromDays(366))
        {
            throw AuditErrors.InvalidTimeRange();
        }

        return await store.ReadAsync((s, ct) => s.Audit.CountCallsAsync(call.AccountId, from, to, ct), ct);
    }

    public async Task<LookupEventsResult> LookupEventsAsync(
        Call call, IReadOnlyList<(string Key, string Value)> attributes, DateTimeOffset? start, DateTimeOffset? end, string? eventCategory, int? maxResults, string? nextToken, CancellationToken ct)
    {
        await authorizer.AuthorizeAsync(call, new AccessRequest("cloudtrail:LookupEvents", "*"), cancellationToken: ct);
        if (attributes.Count > 1)
        {
            throw AuditErrors.InvalidLookupAttributes("You can specify only one lookup attribute.");
        }

        LookupAttributeKey? key = null;
        string? value = null;
        if (attributes.Count == 1)
        {
            key = Enum.TryParse<LookupAttributeKey>(attributes[0].Key, ignoreCase: false, out var k) && Enum.IsDefined(k)
                ? k
                : throw AuditErrors.InvalidLookupAttributes($"'{attributes[0].Key}' is not a lookup attribute.");
            value = attributes[0].Value;
            if (key == LookupAttributeKey.ReadOnly && value is not ("true" or "false"))
            {
                throw AuditErrors.InvalidLookupAttributes("The value of ReadOnly must be true or false.");
            }
        }

        if (start is { } s && end is { } e && s > e)
        {
            throw AuditErrors.InvalidTimeRange();
        }

        var limit = maxResults ?? DefaultMaxResults;
        if (limit is < 1 or > DefaultMaxResults)
        {
            throw AuditErrors.InvalidMaxResults();
        }

        // Coffer records no Insights events: asking for them finds none.
        if (eventCategory == "insight")
        {
            return new LookupEventsResult([], null);
        }

        var digest = Digest(call, key, value, start, end);
        var after = nextToken is null ? null : ParseToken(nextToken, digest);
        var lookup = new AuditLookup(call.AccountId, call.Region, key, value, start, end, limit + 1, after);
        var (found, archivedUntil) = await store.ReadAsync(
            async (session, ct) => (await session.Audit.LookupAsync(lookup, ct), await session.Meta.GetAsync(AuditRetention.ArchivedUntilKey, ct)),
            ct);
        var page = found.Take(limit).Select(f => new TrailEvent(JsonSerializer.Deserialize(f.Json, AuditJson.Default.AuditRecord)!, f.Json)).ToList();
        var token = found.Count > limit ? MakeToken(found[limit - 1].Position, digest) : null;
        var until = archivedUntil is null ? (DateTimeOffset?)null : DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(archivedUntil, CultureInfo.InvariantCulture));
        return new LookupEventsResult(page, token, until);
    }

    /// <summary>A token is good only for the query it came from, as in AWS.</summary>
    private static string Digest(Call call, LookupAttributeKey? key, string? value, DateTimeOffset? start, DateTimeOffset? end)
    {
        var text = string.Join('\n', call.AccountId, call.Region, key?.ToString(), value, start?.ToUnixTimeMilliseconds(), end?.ToUnixTimeMilliseconds());
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)).AsSpan(0, 8));
    }

    private static string MakeToken(AuditPosition position, string digest) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"1:{position.EventTimeMs}:{position.Sequence}:{digest}")));

    private static AuditPosition ParseToken(string token, string digest)
    {
        try
        {
            var parts = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token)).Split(':');
            if (parts is ["1", var time, var seq, var d] && d == digest)
            {
                return new AuditPosition(long.Parse(time, CultureInfo.InvariantCulture), long.Parse(seq, CultureInfo.InvariantCulture));
            }
        }
        catch (FormatException)
        {
        }

        throw AuditErrors.InvalidNextToken();
    }
}

/// <summary>CloudTrail's errors for LookupEvents, with AWS's codes.</summary>
public static class AuditErrors
{
    public static CofferException InvalidLookupAttributes(string message) => new("InvalidLookupAttributesException", message);

    public static CofferException InvalidTimeRange() => new("InvalidTimeRangeException", "The start time must be before the end time.");

    public static CofferException InvalidMaxResults() => new("InvalidMaxResultsException", "MaxResults must be between 1 and 50.");

    public static CofferException InvalidNextToken() => new("InvalidNextTokenException", "The NextToken is not valid, or was made for a lookup with other parameters.");
}
