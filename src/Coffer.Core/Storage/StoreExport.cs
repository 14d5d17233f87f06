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
}

public sealed record StoredTable(string Name, IReadOnlyList<string> Columns, IReadOnlyList<object?[]> Rows);
