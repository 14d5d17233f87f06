using System.Text.Json;

namespace Coffer.Core.Audit;

/// <summary>
/// LookupEvents' ResourceName and ResourceType index, kept behind the chain rather than in it
/// (issue 11). Appending a record writes only the record; the store's writer indexes the records'
/// resources later, in batches, when it has nothing else to do (or when too many wait), and moves
/// <see cref="ThroughKey"/> to the last record it indexed. A lookup by resource reads the index up to
/// that record and the records after it themselves, so it finds every record whether or not it has
/// been indexed yet; after a crash the records past the key are indexed again from their JSON.
/// </summary>
public static class AuditResourceIndex
{
    /// <summary>The meta key: the sequence number of the last record whose resources are indexed.</summary>
    public const string ThroughKey = "audit_resources_through";

    /// <summary>How many records one indexing transaction takes.</summary>
    public const int BatchSize = 512;

    /// <summary>How many records may wait before the writer indexes even while writes are queued:
    /// the bound on what a lookup by resource reads without the index.</summary>
    public const int MaxBacklog = 8192;

    public const string NameKind = "name";

    public const string TypeKind = "type";

    /// <summary>The index rows of one record: its resources' types, and the names each is looked up by.
    /// Read from the record's <c>resources</c> member alone, so that any record the chain holds indexes.</summary>
    public static IReadOnlyList<(string Kind, string Value)> RowsOf(string recordJson)
    {
        var rows = new List<(string Kind, string Value)>();
        try
        {
            using var doc = JsonDocument.Parse(recordJson);
            if (doc.RootElement.ValueKind != JsonValueKind.Object || !doc.RootElement.TryGetProperty("resources", out var resources) || resources.ValueKind != JsonValueKind.Array)
            {
                return rows;
            }

            foreach (var resource in resources.EnumerateArray())
            {
                if (resource.ValueKind != JsonValueKind.Object)
                {
                    continue;
                }

                if (resource.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String)
                {
                    Add(rows, TypeKind, type.GetString()!);
                }

                if (resource.TryGetProperty("ARN", out var arn) && arn.ValueKind == JsonValueKind.String)
                {
                    foreach (var name in AuditResourceNames.Of(arn.GetString()!))
                    {
                        Add(rows, NameKind, name);
                    }
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON: nothing to index it by (the chain's verification is what reports such a record).
        }

        return rows;
    }

    private static void Add(List<(string Kind, string Value)> rows, string kind, string value)
    {
        if (!rows.Contains((kind, value)))
        {
            rows.Add((kind, value));
        }
    }

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
}
