using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Coffer.Signing;

/// <summary>
/// AWS Signature Version 4: the canonical request, the string to sign and the signing key, shared
/// by the server's verifier and every signer (the CLI's, the agent's) so that all compute the same bytes.
/// See https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html.
/// </summary>
public static class SigV4
{
    public const string Algorithm = "AWS4-HMAC-SHA256";
    public const string UnsignedPayload = "UNSIGNED-PAYLOAD";
    public const string DateFormat = "yyyyMMdd'T'HHmmss'Z'";
    public static readonly string EmptyPayloadHash = Hex(SHA256.HashData([]));

    /// <summary>A request reduced to what the signature covers.</summary>
    public sealed record CanonicalInput(
        string Method,
        string Path,
        IReadOnlyList<KeyValuePair<string, string>> Query,
        IReadOnlyDictionary<string, IReadOnlyList<string>> Headers,
        IReadOnlyList<string> SignedHeaders,
        string PayloadHash)
    {
        /// <summary>Every service but S3 encodes path segments twice (the SDKs do); AWS's generic
        /// test suite encodes them once.</summary>
        public bool DoubleEncodePath { get; init; } = true;
    }

    public static string CanonicalRequest(CanonicalInput input)
    {
        var sb = new StringBuilder(512);
        sb.Append(input.Method).Append('\n');
        sb.Append(CanonicalPath(input.Path, input.DoubleEncodePath)).Append('\n');
        sb.Append(CanonicalQuery(input.Query)).Append('\n');
        foreach (var name in input.SignedHeaders)
        {
            sb.Append(name).Append(':');
            if (input.Headers.TryGetValue(name, out var values))
            {
                sb.Append(string.Join(',', values.Select(CanonicalHeaderValue)));
            }

            sb.Append('\n');
        }

        sb.Append('\n');
        sb.Append(string.Join(';', input.SignedHeaders)).Append('\n');
        sb.Append(input.PayloadHash);
        return sb.ToString();
    }

    public static string StringToSign(string amzDate, string scope, string canonicalRequest) =>
        $"{Algorithm}\n{amzDate}\n{scope}\n{Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest)))}";

    public static string Scope(string date, string region, string service) => $"{date}/{region}/{service}/aws4_request";

    public static byte[] SigningKey(ReadOnlySpan<byte> secret, string date, string region, string service)
    {
        var seed = new byte[4 + secret.Length];
        "AWS4"u8.CopyTo(seed);
        secret.CopyTo(seed.AsSpan(4));
        var key = HMACSHA256.HashData(seed, Encoding.UTF8.GetBytes(date));
        CryptographicOperations.ZeroMemory(seed);
        key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(region));
        key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(service));
        return HMACSHA256.HashData(key, "aws4_request"u8);
    }

    public static string Signature(byte[] signingKey, string stringToSign) =>
        Hex(HMACSHA256.HashData(signingKey, Encoding.UTF8.GetBytes(stringToSign)));

    public static string Hex(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(bytes);

    public static string FormatDate(DateTimeOffset time) => time.UtcDateTime.ToString(DateFormat, CultureInfo.InvariantCulture);

    public static bool TryParseDate(string? text, out DateTimeOffset time) =>
        DateTimeOffset.TryParseExact(text, DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out time);

    /// <summary>Each path segment URI-encoded (the path arrives decoded), and encoded again unless told otherwise.</summary>
    public static string CanonicalPath(string decodedPath, bool doubleEncode = true)
    {
        if (decodedPath.Length == 0)
        {
            return "/";
        }

        var segments = decodedPath.Split('/');
        return string.Join('/', segments.Select(s => doubleEncode ? UriEncode(UriEncode(s)) : UriEncode(s)));
    }

    public static string CanonicalQuery(IReadOnlyList<KeyValuePair<string, string>> query) =>
        string.Join('&', query
            .Select(p => (Key: UriEncode(p.Key), Value: UriEncode(p.Value)))
            .OrderBy(p => p.Key, StringComparer.Ordinal)
            .ThenBy(p => p.Value, StringComparer.Ordinal)
            .Select(p => p.Key + "=" + p.Value));

    /// <summary>RFC 3986 encoding as SigV4 wants it: unreserved characters kept, everything else %XX in upper case.</summary>
    public static string UriEncode(string value)
    {
        var sb = new StringBuilder(value.Length);
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            var c = (char)b;
            if (c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_' or '.' or '~')
            {
                sb.Append(c);
            }
            else
            {
                sb.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return sb.ToString();
    }

    /// <summary>Trims a header value and collapses runs of spaces into one.</summary>
    public static string CanonicalHeaderValue(string value)
    {
        var trimmed = value.Trim();
        if (!trimmed.Contains("  ", StringComparison.Ordinal))
        {
            return trimmed;
        }

        var sb = new StringBuilder(trimmed.Length);
        var space = false;
        foreach (var c in trimmed)
        {
            if (c == ' ')
            {
                if (!space)
                {
                    sb.Append(c);
                }

                space = true;
            }
            else
            {
                sb.Append(c);
                space = false;
            }
        }

        return sb.ToString();
    }

    /// <summary>Parses a query string into decoded pairs, keeping repeated keys and empty values.</summary>
    public static List<KeyValuePair<string, string>> ParseQuery(string? rawQuery)
    {
        var pairs = new List<KeyValuePair<string, string>>();
        if (string.IsNullOrEmpty(rawQuery))
        {
            return pairs;
        }

        foreach (var part in rawQuery.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            var key = eq < 0 ? part : part[..eq];
            var value = eq < 0 ? "" : part[(eq + 1)..];
            pairs.Add(new(Decode(key), Decode(value)));
        }

        return pairs;
    }

    private static string Decode(string s) => Uri.UnescapeDataString(s);
}
