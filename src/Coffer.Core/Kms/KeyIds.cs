namespace Coffer.Core.Kms;

/// <summary>
/// How a KMS key id is written. A single-Region key is a UUID (<c>1234abcd-12ab-...</c>); a multi-Region
/// key is <c>mrk-</c> and 32 hex digits, the same id in every Region it is replicated to. Coffer keeps
/// both as a <see cref="Guid"/>: a multi-Region key's Guid is made with version nibble 8 (RFC 9562's
/// vendor-defined version), which random single-Region ids (version 4) never have, so the id alone
/// says which it is and no stored flag can disagree with it.
/// </summary>
public static class KeyIds
{
    public const string MultiRegionPrefix = "mrk-";

    public static Guid NewSingleRegion() => Guid.NewGuid();

    public static Guid NewMultiRegion()
    {
        var hex = Guid.NewGuid().ToString("N").ToCharArray();
        hex[12] = '8';
        return Guid.ParseExact(new string(hex), "N");
    }

    public static bool IsMultiRegion(Guid keyId) => keyId.Version == 8;

    public static string Format(Guid keyId) =>
        IsMultiRegion(keyId) ? MultiRegionPrefix + keyId.ToString("N") : keyId.ToString("D");

    /// <summary>Reads a key id as <see cref="Format"/> writes it; an <c>mrk-</c> id must be 32 lowercase hex digits.</summary>
    public static bool TryParse(string text, out Guid keyId)
    {
        if (text.StartsWith(MultiRegionPrefix, StringComparison.Ordinal))
        {
            var hex = text[MultiRegionPrefix.Length..];
            return Guid.TryParseExact(hex, "N", out keyId) && hex.All(c => c is (>= '0' and <= '9') or (>= 'a' and <= 'f')) && IsMultiRegion(keyId);
        }

        return Guid.TryParseExact(text, "D", out keyId) && !IsMultiRegion(keyId);
    }
}
