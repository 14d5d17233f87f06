namespace Coffer.Core.Storage;

/// <summary>
/// An installation's rows, table by table, as one store reads them inside one snapshot, for another
/// store to load (<c>coffer migrate</c>). The tables and columns are the same in every store at a
/// schema version, and every secret in them is already wrapped by the root key, which is not here.
/// </summary>
public sealed record StoreExport(int SchemaVersion, IReadOnlyList<StoredTable> Tables)
{
    /// <summary>The rows of one table; values are <see cref="long"/>, <see cref="string"/>,
    /// <see cref="byte"/> arrays or null.</summary>
    public long RowCount => Tables.Sum(t => (long)t.Rows.Count);

    /// <summary>Tables a store makes itself from the others' rows (by triggers): a load leaves their
    /// rows out, or they would be counted twice.</summary>
    public static IReadOnlySet<string> Derived { get; } = new HashSet<string>(StringComparer.Ordinal) { "ssm_parameter_counts" };

    /// <summary>The tables a load copies: all but <see cref="Derived"/>.</summary>
    public IEnumerable<StoredTable> Loaded => Tables.Where(t => !Derived.Contains(t.Name));
}

public sealed record StoredTable(string Name, IReadOnlyList<string> Columns, IReadOnlyList<object?[]> Rows);
