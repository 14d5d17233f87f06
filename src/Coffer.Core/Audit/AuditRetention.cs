using System.Globalization;
using Coffer.Core.Storage;

namespace Coffer.Core.Audit;

/// <summary>
/// Keeps the live audit log to a time window: records older than <see cref="Retention"/> are
/// written to sealed archive segments (<see cref="AuditArchive"/>) and then deleted from the
/// database, a page at a time so the single writer is never held for long. The segment is on disk
/// before a record leaves the database, so a crash between the two leaves a record in both (the
/// next run finishes the deletion; verification reads the archived copy), never in neither.
/// </summary>
public sealed class AuditRetention(ICofferStore store, AuditChainKeeper chain, string archiveDirectory, TimeSpan retention, TimeProvider time)
{
    /// <summary>The meta entry naming the last record that left the live log.</summary>
    public const string ArchivedThroughKey = "audit_archived_through";

    /// <summary>The meta entry with the event time (Unix ms) of the last record that left the live log.</summary>
    public const string ArchivedUntilKey = "audit_archived_until";

    public const int DefaultSegmentRecords = 50_000;
    private const int DeletePage = 5_000;
    private readonly SemaphoreSlim _running = new(1, 1);
    private byte[]? _lastSeal;
    private long _lastArchived = -1;
    private long _lastArchivedTimeMs;
    private long _deletedThrough;

    public TimeSpan Retention { get; } = retention;

    public string ArchiveDirectory { get; } = archiveDirectory;

    public int SegmentRecords { get; init; } = DefaultSegmentRecords;

    /// <summary>Archives what is due; returns how many records left the live log.</summary>
    public async Task<int> RunAsync(CancellationToken ct)
    {
        if (!chain.IsOpen || Retention == Timeout.InfiniteTimeSpan || !await _running.WaitAsync(0, ct))
        {
            return 0;
        }

        try
        {
            await LoadLastSegmentAsync(ct);
            var cutoff = (time.GetUtcNow() - Retention).ToUnixTimeMilliseconds();
            var through = await store.ReadAsync((s, ct) => s.Audit.ArchivableThroughAsync(cutoff, ct), ct);
            while (_lastArchived < through)
            {
                var (after, count) = (_lastArchived, (int)Math.Min(SegmentRecords, through - _lastArchived));
                var records = await store.ReadAsync((s, ct) => s.Audit.ReadAfterAsync(after, count, ct), ct);
                if (records.Count == 0)
                {
                    break;
                }

                (_lastSeal, var header) = AuditArchive.Write(ArchiveDirectory, records, _lastSeal, chain.Keys);
                _lastArchived = header.Last;
                _lastArchivedTimeMs = header.LastEventTimeMs;
            }

            return await DeleteArchivedAsync(ct);
        }
        finally
        {
            _running.Release();
        }
    }

    private async Task<int> DeleteArchivedAsync(CancellationToken ct)
    {
        if (_lastArchived <= _deletedThrough)
        {
            return 0;
        }

        var until = _lastArchivedTimeMs;
        var total = 0;
        while (true)
        {
            var deleted = await store.WriteAsync(
                async (s, ct) =>
                {
                    var n = await s.Audit.DeleteThroughAsync(_lastArchived, DeletePage, ct);
                    await s.Meta.SetAsync(ArchivedThroughKey, _lastArchived.ToString(CultureInfo.InvariantCulture), ct);
                    await s.Meta.SetAsync(ArchivedUntilKey, until.ToString(CultureInfo.InvariantCulture), ct);
                    return n;
                },
                ct);
            total += deleted;
            if (deleted < DeletePage)
            {
                _deletedThrough = _lastArchived;
                return total;
            }
        }
    }

    /// <summary>Where the archive ends: read once from its newest segment, then kept in memory.</summary>
    private async ValueTask LoadLastSegmentAsync(CancellationToken ct)
    {
        if (_lastArchived >= 0)
        {
            return;
        }

        _deletedThrough = long.Parse(await store.ReadAsync((s, ct) => s.Meta.GetAsync(ArchivedThroughKey, ct), ct) ?? "0", CultureInfo.InvariantCulture);
        var segments = AuditArchive.List(ArchiveDirectory);
        if (segments.Count == 0)
        {
            // No archive (or it was removed: verification reports the gap); carry on after the deleted records.
            _lastArchived = _deletedThrough;
            return;
        }

        var last = AuditArchive.Read(segments[^1], chain.Keys);
        _lastSeal = last.Seal;
        _lastArchived = last.Header.Last;
        _lastArchivedTimeMs = last.Header.LastEventTimeMs;
    }
}
