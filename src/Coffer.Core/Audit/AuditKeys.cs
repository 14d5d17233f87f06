using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Coffer.Core.Crypto;

namespace Coffer.Core.Audit;

/// <summary>
/// The audit log's keys, derived from the root key with HKDF-SHA256 under their own labels: one
/// MACs each link of the chain, one MACs the anchor file, one seals archive segments. Neither can be recomputed
/// without the root key, so an edit to the database cannot be papered over by re-hashing.
/// </summary>
public sealed class AuditKeys : IDisposable
{
    public const string ChainInfo = "coffer/audit-chain/v1";
    public const string AnchorInfo = "coffer/audit-anchor/v1";
    public const string ArchiveInfo = "coffer/audit-archive/v1";
    private readonly byte[] _chain;
    private readonly byte[] _anchor;
    private readonly byte[] _archive;

    private AuditKeys(byte[] chain, byte[] anchor, byte[] archive)
    {
        _chain = chain;
        _anchor = anchor;
        _archive = archive;
    }

    public static AuditKeys Derive(RootKey root) => new(Derive(root, ChainInfo), Derive(root, AnchorInfo), Derive(root, ArchiveInfo));

    /// <summary>The link of record <paramref name="sequence"/>: HMAC-SHA256 over its sequence
    /// number, the previous link and its JSON, so a record cannot be moved, edited or re-linked.</summary>
    public byte[] Link(long sequence, ReadOnlySpan<byte> previous, string json) => Link(sequence, previous, Encoding.UTF8.GetBytes(json));

    /// <summary><see cref="Link(long, ReadOnlySpan{byte}, string)"/> over the JSON's UTF-8 bytes, as the
    /// writer holds them: the same MAC, over the same bytes.</summary>
    public byte[] Link(long sequence, ReadOnlySpan<byte> previous, ReadOnlySpan<byte> utf8Json)
    {
        // One HMAC over the three laid end to end in a pooled buffer: the MAC of feeding them in turn,
        // without an incremental hash and its native context for every record (issue 11).
        var length = sizeof(long) + previous.Length + utf8Json.Length;
        var buffer = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            var input = buffer.AsSpan(0, length);
            BinaryPrimitives.WriteInt64BigEndian(input, sequence);
            previous.CopyTo(input[sizeof(long)..]);
            utf8Json.CopyTo(input[(sizeof(long) + previous.Length)..]);
            return HMACSHA256.HashData(_chain, input);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>The MAC over an anchor's fields, under the anchor key.</summary>
    public byte[] AnchorMac(AuditAnchor anchor)
    {
        var text = FormattableString.Invariant($"coffer-audit-anchor-v1\n{anchor.KeyedFrom}\n{anchor.Sequence}\n{Convert.ToBase64String(anchor.Head)}");
        return HMACSHA256.HashData(_anchor, Encoding.UTF8.GetBytes(text));
    }

    /// <summary>The seal of an archive segment: HMAC-SHA256 over its file name and its content.</summary>
    public byte[] SegmentSeal(string name, ReadOnlySpan<byte> content)
    {
        using var mac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, _archive);
        mac.AppendData(Encoding.UTF8.GetBytes("coffer-audit-archive-v1\n" + name + "\n"));
        mac.AppendData(content);
        return mac.GetHashAndReset();
    }

    public void Dispose()
    {
        CryptographicOperations.ZeroMemory(_chain);
        CryptographicOperations.ZeroMemory(_anchor);
        CryptographicOperations.ZeroMemory(_archive);
    }

    private static byte[] Derive(RootKey root, string info)
    {
        var key = new byte[32];
        HKDF.DeriveKey(HashAlgorithmName.SHA256, root.Bytes, key, salt: [], info: Encoding.UTF8.GetBytes(info));
        return key;
    }
}
