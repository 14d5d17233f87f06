using System.Security.Cryptography;
using System.Text;

namespace Coffer.Core.Audit;

/// <summary>
/// The audit log's hash chain: each record's hash is SHA-256 over the previous hash and the
/// record's JSON, so removing, reordering or editing a record breaks every hash after it.
/// </summary>
public static class AuditChain
{
    public static byte[] Genesis { get; } = new byte[32];

    public static byte[] Link(ReadOnlySpan<byte> previousHash, string json)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(previousHash);
        sha.AppendData(Encoding.UTF8.GetBytes(json));
        return sha.GetHashAndReset();
    }

    /// <summary>Checks the whole chain; returns the first sequence number that does not verify, or null.</summary>
    public static long? FindFirstBreak(IEnumerable<StoredAuditRecord> records)
    {
        var previous = Genesis;
        long expected = 1;
        foreach (var record in records)
        {
            if (record.Sequence != expected
                || !CryptographicOperations.FixedTimeEquals(record.PreviousHash, previous)
                || !CryptographicOperations.FixedTimeEquals(record.Hash, Link(previous, record.Json)))
            {
                return expected;
            }

            previous = record.Hash;
            expected++;
        }

        return null;
    }
}
