using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Coffer.Core.Audit;

/// <summary>The head of the audit log as last committed: its sequence number and link, and the
/// record the keyed chain starts at. Kept outside the database, so an edit to the database cannot
/// move it.</summary>
public sealed record AuditAnchor(long KeyedFrom, long Sequence, byte[] Head);

/// <summary>What reading the anchor file found.</summary>
public enum AnchorStatus
{
    Valid,
    Missing,
    Invalid,
}

/// <summary>
/// <c>audit.anchor</c> in the data directory: the anchor as JSON with a MAC under the anchor key,
/// so it cannot be forged without the root key. It is replaced atomically (a new file, flushed to
/// disk, renamed over the old one), so a crash leaves the old anchor or the new one, never half of
/// either; the old one only lags the database, which verification accepts.
/// </summary>
public static class AuditAnchorFile
{
    public const string FileName = "audit.anchor";

    public static string PathIn(string dataDir) => Path.Combine(dataDir, FileName);

    public static (AnchorStatus Status, AuditAnchor? Anchor) Read(string dataDir, AuditKeys keys)
    {
        string text;
        try
        {
            text = File.ReadAllText(PathIn(dataDir));
        }
        catch (FileNotFoundException)
        {
            return (AnchorStatus.Missing, null);
        }

        try
        {
            var doc = JsonSerializer.Deserialize(text, AnchorJson.Default.AnchorDocument);
            if (doc is not { Version: 1, Head: not null, Mac: not null })
            {
                return (AnchorStatus.Invalid, null);
            }

            var anchor = new AuditAnchor(doc.KeyedFrom, doc.Sequence, Convert.FromBase64String(doc.Head));
            return CryptographicOperations.FixedTimeEquals(keys.AnchorMac(anchor), Convert.FromBase64String(doc.Mac))
                ? (AnchorStatus.Valid, anchor)
                : (AnchorStatus.Invalid, null);
        }
        catch (Exception e) when (e is JsonException or FormatException)
        {
            return (AnchorStatus.Invalid, null);
        }
    }

    public static void Write(string dataDir, AuditKeys keys, AuditAnchor anchor)
    {
        var doc = new AnchorDocument
        {
            Version = 1,
            KeyedFrom = anchor.KeyedFrom,
            Sequence = anchor.Sequence,
            Head = Convert.ToBase64String(anchor.Head),
            Mac = Convert.ToBase64String(keys.AnchorMac(anchor)),
        };
        var path = PathIn(dataDir);
        var temporary = path + ".tmp";
        Crypto.SecureFile.WriteAllText(temporary, JsonSerializer.Serialize(doc, AnchorJson.Default.AnchorDocument));

        // rename(2) replaces the old anchor atomically. The directory entry itself is not fsynced
        // (.NET cannot open a directory): after a power loss the old anchor may come back, which
        // only lags the database, and a lagging anchor is accepted when the chain after it verifies.
        File.Move(temporary, path, overwrite: true);
    }
}

internal sealed class AnchorDocument
{
    public int Version { get; set; }

    public long KeyedFrom { get; set; }

    public long Sequence { get; set; }

    public string? Head { get; set; }

    public string? Mac { get; set; }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(AnchorDocument))]
internal sealed partial class AnchorJson : JsonSerializerContext;
