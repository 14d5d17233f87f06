using System.Text.Json;

namespace Coffer.Core.Audit;

/// <summary>CloudTrail's lookup attributes (LookupEvents' <c>AttributeKey</c>).</summary>
public enum LookupAttributeKey
{
    EventId,
    EventName,
    ReadOnly,
    Username,
    ResourceType,
    ResourceName,
    EventSource,
    AccessKeyId,
}

/// <summary>
/// The fields of a record that LookupEvents filters on, kept in indexed columns beside the record.
/// They are derived from the record's JSON, which alone is covered by the chain's MAC: LookupEvents
/// answers with the JSON, and <c>coffer audit verify</c> checks the JSON.
/// </summary>
public sealed record AuditLookupKeys(
    string AccountId,
    string Region,
    string EventId,
    string EventName,
    string EventSource,
    bool ReadOnly,
    string? Username,
    string? AccessKeyId,
    IReadOnlyList<AuditResource> Resources)
{
    public static AuditLookupKeys From(AuditRecord r) => new(
        r.RecipientAccountId, r.AwsRegion, r.EventId, r.EventName, r.EventSource, r.ReadOnly, UsernameOf(r.UserIdentity), r.UserIdentity.AccessKeyId, r.Resources);

    /// <summary>The keys of a record read back from the log, from its JSON alone; null when it is not
    /// a JSON object. Tolerant: a member it lacks is empty, so an odd record indexes by what it has.</summary>
    public static AuditLookupKeys? FromJson(string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            string? identityUser = null;
            string? accessKey = null;
            if (root.TryGetProperty("userIdentity", out var id) && id.ValueKind == JsonValueKind.Object)
            {
                accessKey = Text(id, "accessKeyId");
                identityUser = UsernameOf(new AuditIdentity(Text(id, "type") ?? "", Text(id, "principalId") ?? "", Text(id, "arn") ?? "", Text(id, "accountId") ?? "", accessKey, Text(id, "userName")));
            }

            var resources = new List<AuditResource>();
            if (root.TryGetProperty("resources", out var list) && list.ValueKind == JsonValueKind.Array)
            {
                foreach (var r in list.EnumerateArray())
                {
                    if (r.ValueKind == JsonValueKind.Object)
                    {
                        resources.Add(new AuditResource(Text(r, "ARN") ?? "", Text(r, "type") ?? ""));
                    }
                }
            }

            var readOnly = root.TryGetProperty("readOnly", out var ro) && ro.ValueKind == JsonValueKind.True;
            return new AuditLookupKeys(
                Text(root, "recipientAccountId") ?? "", Text(root, "awsRegion") ?? "", Text(root, "eventID") ?? "",
                Text(root, "eventName") ?? "", Text(root, "eventSource") ?? "", readOnly, identityUser, accessKey, resources);
        }
        catch (JsonException)
        {
            // Not JSON: nothing to index it by (the chain's verification is what reports such a record).
            return null;
        }

        static string? Text(JsonElement e, string name) =>
            e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
    }

    /// <summary>CloudTrail's Username: the IAM user's name, "root", or for a role session the session's name.</summary>
    public static string? UsernameOf(AuditIdentity identity) => identity.Type switch
    {
        "IAMUser" => identity.UserName,
        "Root" => "root",
        "AssumedRole" => identity.Arn[(identity.Arn.LastIndexOf('/') + 1)..],
        _ => identity.PrincipalId,
    };
}

/// <summary>One LookupEvents query: the account and region asked about, at most one attribute, a
/// time range, and where the previous page stopped.</summary>
public sealed record AuditLookup(
    string AccountId,
    string Region,
    LookupAttributeKey? Key,
    string? Value,
    DateTimeOffset? Start,
    DateTimeOffset? End,
    int Limit,
    AuditPosition? After);

/// <summary>A place in the newest-first order: a record's time and sequence number.</summary>
public sealed record AuditPosition(long EventTimeMs, long Sequence);

/// <summary>A record found by a lookup.</summary>
public sealed record FoundAuditRecord(long Sequence, long EventTimeMs, string Json)
{
    public AuditPosition Position => new(EventTimeMs, Sequence);
}
