using Coffer.Core.Crypto;

namespace Coffer.Core.Audit;

/// <summary>
/// What the store's single writer needs to extend the keyed chain: the chain key, once unsealed,
/// and where to move the anchor after each committed batch. Until it is opened, appending to the
/// audit log fails (<see cref="SealedException"/>), so nothing is ever written unkeyed.
/// </summary>
public sealed class AuditChainKeeper(string? anchorDirectory)
{
    /// <summary>The meta entry (set by schema migration 5) naming the first keyed record.</summary>
    public const string KeyedFromKey = "audit_keyed_from";

    /// <summary>The meta entry (set by schema migration 5 on a database that existed before it)
    /// saying that its log was never anchored, so a missing anchor is expected once.</summary>
    public const string UnanchoredKey = "audit_unanchored";

    private readonly Lock _anchorLock = new();
    private volatile AuditKeys? _keys;

    /// <summary>The data directory that holds <c>audit.anchor</c>; null in dev mode, which keeps nothing on disk.</summary>
    public string? AnchorDirectory { get; } = anchorDirectory;

    public bool IsOpen => _keys is not null;

    public AuditKeys Keys => _keys ?? throw new SealedException();

    /// <summary>The first keyed record, as the database says; the anchor carries it too.</summary>
    public long KeyedFrom { get; private set; } = 1;

    /// <summary>Called when writing the anchor failed; the database is then ahead of the anchor,
    /// which verification accepts, but it must not stay so unnoticed.</summary>
    public Action<Exception>? AnchorFailed { get; set; }

    public void Open(AuditKeys keys, long keyedFrom)
    {
        KeyedFrom = keyedFrom;
        _keys = keys;
    }

    public void Close() => _keys = null;

    public byte[] Link(long sequence, ReadOnlySpan<byte> previous, ReadOnlySpan<byte> utf8Json) => Keys.Link(sequence, previous, utf8Json);

    /// <summary>Moves the anchor to a committed head. Called by the writer after each batch that appended to the log.</summary>
    public void Committed(long sequence, byte[] head)
    {
        if (AnchorDirectory is null || _keys is not { } keys)
        {
            return;
        }

        try
        {
            // The writer and the start-up check (bringing a lagging anchor up) may both write it.
            lock (_anchorLock)
            {
                AuditAnchorFile.Write(AnchorDirectory, keys, new AuditAnchor(KeyedFrom, sequence, head));
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            AnchorFailed?.Invoke(e);
        }
    }
}
