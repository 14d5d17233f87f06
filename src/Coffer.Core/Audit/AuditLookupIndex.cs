using System.Text.Json;

namespace Coffer.Core.Audit;

/// <summary>
/// LookupEvents' index, kept behind the audit chain rather than in it (issue 11). A record is
/// appended with no index rows; the store's writer indexes records later, in batches, when it has
/// nothing else to do (or when too many wait), and moves <see cref="ThroughKey"/> to the last record
/// it indexed. A lookup reads the index up to that record and the records after it themselves, so it
/// finds every record whether or not it has been indexed yet; after a crash the records past the key
/// are indexed again from their JSON.
/// <para>
/// The index is by block, not by record: one row per account, region, attribute, value and block
/// of <see cref="BlockSize"/> consecutive records, holding a bitmap of the records in the block that
/// have that value. A hot read's records share their caller, operation and resource, so a block of
/// them costs a few dozen rows rather than a dozen rows a record, which was most of the single
/// writer's time. A lookup walks one value's blocks newest first and reads the records whose bits
/// are set, so the answer is in the chain's order (newest recorded first).
/// </para>
/// </summary>
public static class AuditLookupIndex
{
    /// <summary>The meta key: the sequence number of the last record that is indexed.</summary>
    public const string ThroughKey = "audit_index_through";

    /// <summary>How many consecutive records one index row covers (its bitmap's bits).</summary>
    public const int BlockSize = 512;

    /// <summary>How many records one indexing transaction takes.</summary>
    public const int BatchSize = 512;

    /// <summary>How many records may wait before the writer indexes even while writes are queued:
    /// the bound on what a lookup reads without the index.</summary>
    public const int MaxBacklog = 8192;

    public const string NameKind = "name";

    public const string TypeKind = "type";

    public const string EventNameKind = "event_name";

    public const string EventSourceKind = "event_source";

    public const string ReadOnlyKind = "read_only";

    public const string UsernameKind = "username";

    public const string AccessKeyKind = "access_key";

    /// <summary>The block a record belongs to, and its bit in the block's bitmap.</summary>
    public static (long Block, int Bit) BlockOf(long sequence) => ((sequence - 1) / BlockSize, (int)((sequence - 1) % BlockSize));

    /// <summary>The sequence number of bit <paramref name="bit"/> of block <paramref name="block"/>.</summary>
    public static long SequenceOf(long block, int bit) => (block * BlockSize) + bit + 1;

    /// <summary>The index kind a lookup attribute is found by; null for EventId, which has an index of its own.</summary>
    public static string? KindOf(LookupAttributeKey key) => key switch
    {
        LookupAttributeKey.ResourceName => NameKind,
        LookupAttributeKey.ResourceType => TypeKind,
        LookupAttributeKey.EventName => EventNameKind,
        LookupAttributeKey.EventSource => EventSourceKind,
        LookupAttributeKey.ReadOnly => ReadOnlyKind,
        LookupAttributeKey.Username => UsernameKind,
        LookupAttributeKey.AccessKeyId => AccessKeyKind,
        _ => null,
    };

    /// <summary>The value a lookup asks for, as the index keeps it.</summary>
    public static string ValueOf(LookupAttributeKey key, string value) =>
        key == LookupAttributeKey.ReadOnly ? (string.Equals(value, "true", StringComparison.OrdinalIgnoreCase) ? "true" : "false") : value;

    /// <summary>The (kind, value) pairs a record is found by: its lookup attributes, its resources'
    /// types, and every name each resource is looked up by (<see cref="AuditResourceNames"/>).</summary>
    public static IReadOnlyList<(string Kind, string Value)> RowsOf(AuditLookupKeys keys)
    {
        // Sized once: the list is kept with the entry until the writer indexes it (issue 11).
        var resources = keys.Resources;
        var capacity = 5;
        for (var i = 0; i < resources.Count; i++)
        {
            capacity += 1 + (string.IsNullOrEmpty(resources[i].Arn) ? 0 : AuditResourceNames.Of(resources[i].Arn).Count);
        }

        var rows = new List<(string Kind, string Value)>(capacity);
        Add(rows, EventNameKind, keys.EventName);
        Add(rows, EventSourceKind, keys.EventSource);
        Add(rows, ReadOnlyKind, keys.ReadOnly ? "true" : "false");
        Add(rows, UsernameKind, keys.Username);
        Add(rows, AccessKeyKind, keys.AccessKeyId);
        for (var i = 0; i < resources.Count; i++)
        {
            var resource = resources[i];
            Add(rows, TypeKind, resource.Type);
            if (!string.IsNullOrEmpty(resource.Arn))
            {
                var names = AuditResourceNames.Of(resource.Arn);
                for (var n = 0; n < names.Count; n++)
                {
                    Add(rows, NameKind, names[n]);
                }
            }
        }

        return rows;
    }

    /// <summary>The rows of a record read back from the log (recovery, and records not yet indexed):
    /// the same rows as <see cref="RowsOf(AuditLookupKeys)"/>, from what the record's JSON holds.</summary>
    public static IReadOnlyList<(string Kind, string Value)> RowsOf(string recordJson) =>
        AuditLookupKeys.FromJson(recordJson) is { } keys ? RowsOf(keys) : [];

    /// <summary>Whether a record not yet indexed would be found by a lookup of <paramref name="value"/> as <paramref name="kind"/>.</summary>
    public static bool Matches(string recordJson, string kind, string value)
    {
        foreach (var (k, v) in RowsOf(recordJson))
        {
            if (k == kind && v == value)
            {
                return true;
            }
        }

        return false;
    }

    private static void Add(List<(string Kind, string Value)> rows, string kind, string? value)
    {
        if (!string.IsNullOrEmpty(value) && !rows.Contains((kind, value)))
        {
            rows.Add((kind, value));
        }
    }
}
