using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Coffer.Core.Audit;

/// <summary>A segment's first line: which records it holds, the link the next record must carry,
/// and the seal of the segment before it, so segments form a chain of their own.</summary>
public sealed record AuditSegmentHeader(long First, long Last, long Count, string LastHash, string? PreviousSeal, long FirstEventTimeMs, long LastEventTimeMs);

/// <summary>A segment as read: its file name, header, records and seal (checked or not, as asked).</summary>
public sealed record AuditSegment(string Name, AuditSegmentHeader Header, IReadOnlyList<StoredAuditRecord> Records, byte[] Seal);

/// <summary>
/// Sealed archive segments of the audit log: gzipped JSON lines, a header line, one line per record
/// (its sequence number, previous link, link and JSON, exactly as the chain holds them) and a last
/// line with the seal, an HMAC-SHA256 under the archive key over the file's name and every line
/// before it. A segment cannot be edited, renamed into another place in the order, or forged
/// without the root key; a removed one leaves a gap in the chain that verification reports.
/// </summary>
public static class AuditArchive
{
    public const string DirectoryName = "audit-archive";
    private const string Prefix = "audit-";
    private const string Suffix = ".jsonl.gz";

    public static string DefaultDirectory(string dataDir) => Path.Combine(dataDir, DirectoryName);

    /// <summary>The segments in a directory, in chain order (names carry zero-padded sequence numbers).</summary>
    public static IReadOnlyList<string> List(string directory) =>
        Directory.Exists(directory)
            ? [.. Directory.EnumerateFiles(directory, Prefix + "*" + Suffix).Order(StringComparer.Ordinal)]
            : [];

    public static string NameFor(long first, long last) =>
        string.Create(CultureInfo.InvariantCulture, $"{Prefix}{first:D16}-{last:D16}{Suffix}");

    /// <summary>Writes a segment durably (a temporary file, flushed, then renamed), and returns its seal and header.</summary>
    public static (byte[] Seal, AuditSegmentHeader Header) Write(string directory, IReadOnlyList<StoredAuditRecord> records, byte[]? previousSeal, AuditKeys keys)
    {
        Directory.CreateDirectory(directory);
        var first = records[0];
        var last = records[^1];
        var name = NameFor(first.Sequence, last.Sequence);
        var header = new AuditSegmentHeader(first.Sequence, last.Sequence, records.Count, Convert.ToBase64String(last.Hash),
            previousSeal is null ? null : Convert.ToBase64String(previousSeal), TimeOf(first), TimeOf(last));
        using var content = new MemoryStream();
        using (var json = new Utf8JsonWriter(content))
        {
            JsonSerializer.Serialize(json, header, AuditArchiveJson.Default.AuditSegmentHeader);
        }

        content.WriteByte((byte)'\n');
        foreach (var record in records)
        {
            using (var json = new Utf8JsonWriter(content))
            {
                json.WriteStartObject();
                json.WriteNumber("seq", record.Sequence);
                json.WriteBase64String("prev", record.PreviousHash);
                json.WriteBase64String("hash", record.Hash);
                json.WriteString("record", record.Json);
                json.WriteEndObject();
            }

            content.WriteByte((byte)'\n');
        }

        var seal = keys.SegmentSeal(name, content.GetBuffer().AsSpan(0, (int)content.Length));
        content.Write(Encoding.UTF8.GetBytes("{\"seal\":\"" + Convert.ToBase64String(seal) + "\"}\n"));

        var path = Path.Combine(directory, name);
        var temporary = path + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var file = new FileStream(temporary, options))
        {
            using (var gzip = new GZipStream(file, CompressionLevel.Optimal, leaveOpen: true))
            {
                content.Position = 0;
                content.CopyTo(gzip);
            }

            file.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: true);
        return (seal, header);
    }

    /// <summary>Reads a segment; with <paramref name="keys"/>, checks its seal first and throws
    /// <see cref="InvalidDataException"/> if it does not verify.</summary>
    public static AuditSegment Read(string path, AuditKeys? keys)
    {
        byte[] content;
        using (var gzip = new GZipStream(File.OpenRead(path), CompressionMode.Decompress))
        using (var buffer = new MemoryStream())
        {
            gzip.CopyTo(buffer);
            content = buffer.ToArray();
        }

        var name = Path.GetFileName(path);
        var end = content.Length > 0 && content[^1] == '\n' ? content.Length - 1 : content.Length;
        var sealStart = content.AsSpan(0, end).LastIndexOf((byte)'\n') + 1;
        using var sealDoc = JsonDocument.Parse(content.AsMemory(sealStart, end - sealStart));
        var seal = sealDoc.RootElement.GetProperty("seal").GetBytesFromBase64();
        if (keys is not null && !CryptographicOperations.FixedTimeEquals(seal, keys.SegmentSeal(name, content.AsSpan(0, sealStart))))
        {
            throw new InvalidDataException($"The archive segment {name} does not verify under the archive key: it was edited, renamed or forged.");
        }

        var lines = Encoding.UTF8.GetString(content, 0, Math.Max(sealStart - 1, 0)).Split('\n');
        var header = JsonSerializer.Deserialize(lines[0], AuditArchiveJson.Default.AuditSegmentHeader)
            ?? throw new InvalidDataException($"The archive segment {name} has no header.");
        var records = new List<StoredAuditRecord>(lines.Length - 1);
        foreach (var line in lines.AsSpan(1))
        {
            using var doc = JsonDocument.Parse(line);
            var r = doc.RootElement;
            records.Add(new StoredAuditRecord(r.GetProperty("seq").GetInt64(), r.GetProperty("record").GetString()!, r.GetProperty("prev").GetBytesFromBase64(), r.GetProperty("hash").GetBytesFromBase64()));
        }

        return new AuditSegment(name, header, records, seal);
    }

    private static long TimeOf(StoredAuditRecord record)
    {
        using var doc = JsonDocument.Parse(record.Json);
        return doc.RootElement.GetProperty("eventTime").GetDateTimeOffset().ToUnixTimeMilliseconds();
    }
}

[System.Text.Json.Serialization.JsonSourceGenerationOptions(PropertyNamingPolicy = System.Text.Json.Serialization.JsonKnownNamingPolicy.CamelCase)]
[System.Text.Json.Serialization.JsonSerializable(typeof(AuditSegmentHeader))]
internal sealed partial class AuditArchiveJson : System.Text.Json.Serialization.JsonSerializerContext;
