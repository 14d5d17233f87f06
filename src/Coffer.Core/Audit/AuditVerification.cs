using System.Globalization;

namespace Coffer.Core.Audit;

/// <summary>What checking the audit log found.</summary>
public enum AuditFinding
{
    /// <summary>Every link verifies and the log reaches (or passes) its anchor.</summary>
    Intact,

    /// <summary>A record was removed, reordered, edited, or re-linked without the key.</summary>
    Broken,

    /// <summary>The log ends before the anchored head: records were deleted from its end, or all of them.</summary>
    Truncated,

    /// <summary>The record at the anchored sequence is not the one that was anchored.</summary>
    Diverged,

    /// <summary>The anchor file is gone from a data directory whose log must have one.</summary>
    AnchorMissing,

    /// <summary>The anchor file does not verify under the anchor key: edited, forged or damaged.</summary>
    AnchorInvalid,

    /// <summary>The database and the anchor disagree on the record the keyed chain starts at.</summary>
    KeyedFromMismatch,

    /// <summary>An archive segment does not verify under the archive key, cannot be read, or does
    /// not follow the segment before it.</summary>
    ArchiveInvalid,
}

/// <summary>The outcome of <see cref="AuditChain.Verify"/>, with a sentence for people.</summary>
public sealed record AuditVerification(AuditFinding Finding, long? Sequence, long Records, long KeyedFrom, AuditAnchor? Anchor)
{
    public bool IsIntact => Finding == AuditFinding.Intact;

    /// <summary>How many archive segments were checked before the live log.</summary>
    public int Segments { get; init; }

    /// <summary>What is wrong with an archive segment, for <see cref="AuditFinding.ArchiveInvalid"/>.</summary>
    public string? Detail { get; init; }

    public string Message => Finding switch
    {
        AuditFinding.Intact => Invariant($"The audit chain is intact: {Records} records{ArchiveNote}{KeyedNote}{AnchorNote}."),
        AuditFinding.Broken => Invariant($"The audit chain is broken at record {Sequence}: a record was removed, reordered or edited at or before it{(Segments > 0 || Sequence == 1 ? " (or an archive segment holding it was removed or reordered)" : "")}."),
        AuditFinding.ArchiveInvalid => Detail ?? "An archive segment of the audit log does not verify.",
        AuditFinding.Truncated => Invariant($"The audit log was truncated: its anchor says it reaches record {Anchor!.Sequence}, but it {(Sequence is { } end ? $"ends at record {end}" : "ends before it")} (records were deleted from its end)."),
        AuditFinding.Diverged => Invariant($"The audit log diverges from its anchor at record {Sequence}: that record is not the one that was anchored."),
        AuditFinding.AnchorMissing => "The audit anchor (audit.anchor) is missing from a data directory whose audit log must have one.",
        AuditFinding.AnchorInvalid => "The audit anchor (audit.anchor) does not verify: it was edited, forged, or damaged.",
        _ => Invariant($"The database says the keyed audit chain starts at record {KeyedFrom}, but its anchor says {Anchor!.KeyedFrom}."),
    };

    private string ArchiveNote => Segments > 0 ? Invariant($" ({Segments} archive segments, then the live log)") : "";

    private string KeyedNote => KeyedFrom <= 1 ? ", keyed from the first"
        : KeyedFrom == long.MaxValue ? ", unkeyed (written by an earlier version; the server keys it from its next start)"
        : Invariant($", keyed from record {KeyedFrom} (records before it were written unkeyed by an earlier version)");

    private string AnchorNote => Anchor switch
    {
        null => ", not anchored",
        { Sequence: var a } when a < Sequence => Invariant($", anchored at record {a} (the {Sequence - a} after it verify against it)"),
        _ => ", matches its anchor",
    };

    internal static AuditVerification Intact(long head, long records, long keyedFrom, AuditAnchor? anchor) => new(AuditFinding.Intact, head, records, keyedFrom, anchor);

    internal static AuditVerification Broken(long at, long records, long keyedFrom, AuditAnchor? anchor) => new(AuditFinding.Broken, at, records, keyedFrom, anchor);

    internal static AuditVerification Truncated(long? head, long records, long keyedFrom, AuditAnchor anchor) => new(AuditFinding.Truncated, head, records, keyedFrom, anchor);

    internal static AuditVerification Diverged(long at, long records, long keyedFrom, AuditAnchor anchor) => new(AuditFinding.Diverged, at, records, keyedFrom, anchor);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
