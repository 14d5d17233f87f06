using System.Text;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Coffer.Core.Audit;

/// <summary>
/// One audited call, shaped like a CloudTrail record so that tools which read CloudTrail read it.
/// It names who, what, which resources, from where and the outcome; it never holds a secret value
/// (request parameters arrive with sensitive and binary members removed).
/// </summary>
public sealed record AuditRecord
{
    [JsonPropertyName("eventVersion")]
    public string EventVersion { get; init; } = "1.08";

    [JsonPropertyName("userIdentity")]
    public required AuditIdentity UserIdentity { get; init; }

    [JsonPropertyName("eventTime")]
    public required DateTimeOffset EventTime { get; init; }

    [JsonPropertyName("eventSource")]
    public required string EventSource { get; init; }

    [JsonPropertyName("eventName")]
    public required string EventName { get; init; }

    [JsonPropertyName("awsRegion")]
    public required string AwsRegion { get; init; }

    [JsonPropertyName("sourceIPAddress")]
    public string? SourceIpAddress { get; init; }

    [JsonPropertyName("userAgent")]
    public string? UserAgent { get; init; }

    [JsonPropertyName("errorCode")]
    public string? ErrorCode { get; init; }

    [JsonPropertyName("errorMessage")]
    public string? ErrorMessage { get; init; }

    [JsonPropertyName("requestParameters")]
    public JsonObject? RequestParameters { get; init; }

    [JsonPropertyName("requestID")]
    public required string RequestId { get; init; }

    [JsonPropertyName("eventID")]
    public required string EventId { get; init; }

    [JsonPropertyName("readOnly")]
    public bool ReadOnly { get; init; }

    [JsonPropertyName("resources")]
    public IReadOnlyList<AuditResource> Resources { get; init; } = [];

    [JsonPropertyName("eventType")]
    public string EventType { get; init; } = "AwsApiCall";

    [JsonPropertyName("recipientAccountId")]
    public required string RecipientAccountId { get; init; }

    [JsonPropertyName("tlsDetails")]
    public AuditTls? TlsDetails { get; init; }
}

public sealed record AuditIdentity(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("principalId")] string PrincipalId,
    [property: JsonPropertyName("arn")] string Arn,
    [property: JsonPropertyName("accountId")] string AccountId,
    [property: JsonPropertyName("accessKeyId")] string? AccessKeyId,
    [property: JsonPropertyName("userName")] string? UserName);

public sealed record AuditResource(
    [property: JsonPropertyName("ARN")] string Arn,
    [property: JsonPropertyName("type")] string Type);

public sealed record AuditTls([property: JsonPropertyName("clientProvidedHostHeader")] string? Host);

/// <summary>A record as kept in the hash-chained log.</summary>
public sealed record StoredAuditRecord(long Sequence, string Json, byte[] PreviousHash, byte[] Hash);

/// <summary>A record serialized for appending, with the fields that LookupEvents finds it by.
/// Both are made before the write, on the caller's thread, so the single writer only MACs and inserts.
/// The record is serialized once, to the UTF-8 bytes that the writer both MACs and stores.</summary>
public sealed record AuditEntry(DateTimeOffset EventTime, byte[] Utf8Json, AuditLookupKeys Lookup)
{
    /// <summary>An entry from a record's JSON text, stored as its UTF-8 bytes.</summary>
    public AuditEntry(DateTimeOffset eventTime, string json, AuditLookupKeys lookup)
        : this(eventTime, Encoding.UTF8.GetBytes(json), lookup)
    {
    }

    /// <summary>The record's JSON as text, decoded when asked for (the writer uses <see cref="Utf8Json"/>).</summary>
    public string Json => Encoding.UTF8.GetString(Utf8Json);

    /// <summary>The rows LookupEvents' index finds the record by (<see cref="AuditLookupIndex"/>),
    /// worked out with the entry, so that the writer only groups them.</summary>
    public IReadOnlyList<(string Kind, string Value)> IndexRows { get; } = AuditLookupIndex.RowsOf(Lookup);

    public static AuditEntry From(AuditRecord record) =>
        new(record.EventTime, System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(record, AuditJson.Default.AuditRecord), AuditLookupKeys.From(record));
}

public interface IAuditRepository
{

    /// <summary>Appends to the chain: the record's link covers the previous record's link.</summary>
    ValueTask AppendAsync(AuditEntry entry, CancellationToken cancellationToken);

    ValueTask<IReadOnlyList<StoredAuditRecord>> ReadAfterAsync(long sequence, int limit, CancellationToken cancellationToken);

    /// <summary>Records matching a lookup, newest first, from the lookup indexes.</summary>
    ValueTask<IReadOnlyList<FoundAuditRecord>> LookupAsync(AuditLookup lookup, CancellationToken cancellationToken);

    /// <summary>Indexes at most <paramref name="limit"/> records not yet indexed
    /// (<see cref="AuditLookupIndex"/>), oldest first; returns how many it indexed.</summary>
    ValueTask<int> IndexRecordsAsync(int limit, CancellationToken cancellationToken);

    /// <summary>The last record that is indexed; records after it are found by reading them.</summary>
    ValueTask<long> IndexedThroughAsync(CancellationToken cancellationToken);

    /// <summary>The last record older than <paramref name="beforeMs"/> that may leave the live log
    /// (never the head, which the next append links to); 0 if none.</summary>
    ValueTask<long> ArchivableThroughAsync(long beforeMs, CancellationToken cancellationToken);

    /// <summary>Deletes at most <paramref name="limit"/> of the oldest records up to
    /// <paramref name="sequence"/> (already archived) with their lookup rows, and gives the space
    /// they took back to the file system; returns how many it deleted.</summary>
    ValueTask<int> DeleteThroughAsync(long sequence, int limit, CancellationToken cancellationToken);

    /// <summary>How many calls of each service and operation an account made in [from, to): the console's usage page.</summary>
    ValueTask<IReadOnlyList<UsageCount>> CountCallsAsync(string accountId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken);
}

/// <summary>Calls of one operation in a period. <see cref="ByCoffer"/>: records of Coffer's own work
/// (CloudTrail's AwsServiceEvent: a rotation's steps, an expiry), which no customer's call made and
/// AWS does not bill.</summary>
public sealed record UsageCount(string EventSource, string EventName, long Count)
{
    public bool ByCoffer { get; init; }
}

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(AuditRecord))]
public sealed partial class AuditJson : JsonSerializerContext;
