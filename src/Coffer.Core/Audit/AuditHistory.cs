using System.Security.Cryptography;
using System.Text.Json;

namespace Coffer.Core.Audit;

/// <summary>
/// The whole audit trail: the archive segments in order, then the live log after the last archived
/// record. A segment's records are checked like the live log's (each link covers the one before
/// it, across segment boundaries and into the live log), and each segment's seal is checked too,
/// together with the seal of the segment before it that its header names.
/// </summary>
public static class AuditHistory
{
    /// <summary>Verifies archives and live log as one chain. <paramref name="live"/> may start
    /// before the last archived record (a crash between archiving and deleting): the archived copy wins.</summary>
    public static AuditVerification Verify(string archiveDirectory, IEnumerable<StoredAuditRecord> live, AuditKeys keys, long keyedFrom, AuditAnchor? anchor)
    {
        var segments = AuditArchive.List(archiveDirectory);
        var state = new State();
        try
        {
            var result = AuditChain.Verify(Records(segments, live, keys, state), keys, keyedFrom, anchor);
            return result with { Segments = state.Segments };
        }
        catch (Exception e) when (e is InvalidDataException or JsonException or IOException or FormatException or KeyNotFoundException or InvalidOperationException)
        {
            return new AuditVerification(AuditFinding.ArchiveInvalid, null, 0, keyedFrom, anchor) { Segments = state.Segments, Detail = e.Message };
        }
    }

    /// <summary>Every record, archived then live, in sequence order, without checking seals (for export).</summary>
    public static IEnumerable<StoredAuditRecord> ReadAll(string archiveDirectory, IEnumerable<StoredAuditRecord> live) =>
        Records(AuditArchive.List(archiveDirectory), live, null, new State());

    private static IEnumerable<StoredAuditRecord> Records(IReadOnlyList<string> segments, IEnumerable<StoredAuditRecord> live, AuditKeys? keys, State state)
    {
        byte[]? previousSeal = null;
        long last = 0;
        foreach (var path in segments)
        {
            var segment = AuditArchive.Read(path, keys);
            if (keys is not null)
            {
                Check(segment, previousSeal, state.Segments == 0);
            }

            foreach (var record in segment.Records)
            {
                yield return record;
            }

            state.Segments++;
            previousSeal = segment.Seal;
            last = segment.Header.Last;
        }

        foreach (var record in live)
        {
            if (record.Sequence > last)
            {
                yield return record;
            }
        }
    }

    private static void Check(AuditSegment segment, byte[]? previousSeal, bool first)
    {
        var h = segment.Header;
        var r = segment.Records;
        if (r.Count == 0 || h.Count != r.Count || h.First != r[0].Sequence || h.Last != r[^1].Sequence || !CryptographicOperations.FixedTimeEquals(Convert.FromBase64String(h.LastHash), r[^1].Hash))
        {
            throw new InvalidDataException($"The archive segment {segment.Name} does not match its own header.");
        }

        // The first segment found may follow older ones that were removed; the chain's gap says so.
        if (!first && (h.PreviousSeal is null || !CryptographicOperations.FixedTimeEquals(Convert.FromBase64String(h.PreviousSeal), previousSeal!)))
        {
            throw new InvalidDataException($"The archive segment {segment.Name} does not follow the segment before it: a segment between them was removed, replaced or reordered.");
        }
    }

    private sealed class State
    {
        public int Segments { get; set; }
    }
}
