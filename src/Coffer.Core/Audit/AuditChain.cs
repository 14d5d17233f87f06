using System.Security.Cryptography;
using System.Text;

namespace Coffer.Core.Audit;

/// <summary>
/// The audit log's chain. Each record's link covers the previous link and the record, so removing,
/// reordering or editing a record breaks every link after it. Since schema migration 5 the links
/// are keyed (<see cref="AuditKeys.Link"/>); records written before it keep their unkeyed SHA-256
/// links, and the first keyed link, which covers the last unkeyed one, protects them too.
/// </summary>
public static class AuditChain
{
    public static byte[] Genesis { get; } = new byte[32];

    /// <summary>The unkeyed link of records written before the chain was keyed.</summary>
    public static byte[] UnkeyedLink(ReadOnlySpan<byte> previousHash, string json)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(previousHash);
        sha.AppendData(Encoding.UTF8.GetBytes(json));
        return sha.GetHashAndReset();
    }

    /// <summary>
    /// Checks records in order, from <paramref name="startAt"/> (1 for the whole log, or the
    /// anchor's sequence to check only what was appended since it), against the keys and the
    /// anchor. Records before <paramref name="keyedFrom"/> are checked with the unkeyed link.
    /// </summary>
    public static AuditVerification Verify(IEnumerable<StoredAuditRecord> records, AuditKeys keys, long keyedFrom, AuditAnchor? anchor, long startAt = 1)
    {
        var check = new Check(keys, keyedFrom, anchor, startAt);
        foreach (var record in records)
        {
            if (check.Next(record) is { } broken)
            {
                return broken;
            }
        }

        return check.End();
    }

    /// <summary><see cref="Verify"/> over records read as they are checked (the store's pages).</summary>
    public static async ValueTask<AuditVerification> VerifyAsync(IAsyncEnumerable<StoredAuditRecord> records, AuditKeys keys, long keyedFrom, AuditAnchor? anchor, long startAt = 1, CancellationToken cancellationToken = default)
    {
        var check = new Check(keys, keyedFrom, anchor, startAt);
        await foreach (var record in records.WithCancellation(cancellationToken))
        {
            if (check.Next(record) is { } broken)
            {
                return broken;
            }
        }

        return check.End();
    }

    /// <summary>The check of one pass over the chain, a record at a time.</summary>
    private sealed class Check(AuditKeys keys, long keyedFrom, AuditAnchor? anchor, long startAt)
    {
        private byte[]? _previous = startAt <= 1 ? Genesis : null;
        private long _expected = Math.Max(startAt, 1);
        private long _count;

        /// <summary>What is wrong with <paramref name="record"/>, the next one; null when it links.</summary>
        public AuditVerification? Next(StoredAuditRecord record)
        {
            var link = record.Sequence < keyedFrom
                ? UnkeyedLink(record.PreviousHash, record.Json)
                : keys.Link(record.Sequence, record.PreviousHash, record.Json);
            if (record.Sequence != _expected
                || (_previous is not null && !CryptographicOperations.FixedTimeEquals(record.PreviousHash, _previous))
                || !CryptographicOperations.FixedTimeEquals(record.Hash, link))
            {
                return AuditVerification.Broken(_expected, _count, keyedFrom, anchor);
            }

            if (anchor is not null && record.Sequence == anchor.Sequence && !CryptographicOperations.FixedTimeEquals(record.Hash, anchor.Head))
            {
                return AuditVerification.Diverged(record.Sequence, _count, keyedFrom, anchor);
            }

            _previous = record.Hash;
            _expected++;
            _count++;
            return null;
        }

        /// <summary>The finding once every record linked.</summary>
        public AuditVerification End()
        {
            var head = _expected - 1;
            if (anchor is not null && head < anchor.Sequence)
            {
                // Starting mid-log with nothing read, where the log ends is not known, only that it is short.
                return AuditVerification.Truncated(_count == 0 && startAt > 1 ? null : head, _count, keyedFrom, anchor);
            }

            return AuditVerification.Intact(head, _count, keyedFrom, anchor);
        }
    }
}
