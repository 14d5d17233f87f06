using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Coffer.Agent;

/// <summary>
/// SigV4 for the agent's few request shapes (a JSON 1.1 POST, a signed GET of the event stream),
/// written small and without the AWS SDK so that the agent compiles to a native binary. The signing
/// key is derived once per day and service. Coffer's server checks these signatures with its own
/// verifier, so the tests through a real server prove the two agree.
/// </summary>
internal sealed class RequestSigner(AwsCredentials credentials, string region, TimeProvider time)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, byte[]> _keys = new(StringComparer.Ordinal);

    public void Sign(HttpRequestMessage request, string service, ReadOnlySpan<byte> body)
    {
        var uri = request.RequestUri!;
        var amzDate = time.GetUtcNow().UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var date = amzDate[..8];
        var host = uri.IsDefaultPort ? uri.Host : $"{uri.Host}:{uri.Port}";
        request.Headers.Host = host;
        request.Headers.Add("X-Amz-Date", amzDate);
        var headers = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["host"] = host, ["x-amz-date"] = amzDate };
        if (credentials.SessionToken is { } token)
        {
            request.Headers.Add("X-Amz-Security-Token", token);
            headers["x-amz-security-token"] = token;
        }

        foreach (var h in request.Headers.Where(h => h.Key.StartsWith("X-Amz-Target", StringComparison.OrdinalIgnoreCase)))
        {
            headers["x-amz-target"] = string.Join(',', h.Value);
        }

        if (request.Content?.Headers.ContentType is { } contentType)
        {
            headers["content-type"] = contentType.ToString();
        }

        var signedHeaders = string.Join(';', headers.Keys);
        var canonical = new StringBuilder(256)
            .Append(request.Method.Method).Append('\n')
            .Append(CanonicalPath(uri.AbsolutePath)).Append('\n')
            .Append(CanonicalQuery(uri.Query)).Append('\n');
        foreach (var (name, value) in headers)
        {
            canonical.Append(name).Append(':').Append(value.Trim()).Append('\n');
        }

        canonical.Append('\n').Append(signedHeaders).Append('\n').Append(Hex(SHA256.HashData(body)));
        var scope = $"{date}/{region}/{service}/aws4_request";
        var toSign = $"AWS4-HMAC-SHA256\n{amzDate}\n{scope}\n{Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonical.ToString())))}";
        var signature = Hex(HMACSHA256.HashData(SigningKey(date, service), Encoding.UTF8.GetBytes(toSign)));
        request.Headers.TryAddWithoutValidation("Authorization", $"AWS4-HMAC-SHA256 Credential={credentials.AccessKeyId}/{scope}, SignedHeaders={signedHeaders}, Signature={signature}");
    }

    private byte[] SigningKey(string date, string service)
    {
        var id = date + "/" + service;
        lock (_gate)
        {
            if (_keys.TryGetValue(id, out var cached))
            {
                return cached;
            }

            var key = HMACSHA256.HashData(Encoding.UTF8.GetBytes("AWS4" + credentials.SecretAccessKey), Encoding.UTF8.GetBytes(date));
            key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(region));
            key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(service));
            key = HMACSHA256.HashData(key, "aws4_request"u8);
            if (_keys.Count > 8)
            {
                _keys.Clear();
            }

            _keys[id] = key;
            return key;
        }
    }

    private static string Hex(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(bytes);

    /// <summary>Each segment encoded twice, as every service but S3 wants it.</summary>
    private static string CanonicalPath(string escapedPath) =>
        escapedPath.Length == 0 ? "/" : string.Join('/', escapedPath.Split('/').Select(s => UriEncode(UriEncode(Uri.UnescapeDataString(s)))));

    private static string CanonicalQuery(string query) =>
        string.Join('&', query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair =>
            {
                var eq = pair.IndexOf('=', StringComparison.Ordinal);
                var key = Uri.UnescapeDataString(eq < 0 ? pair : pair[..eq]);
                var value = eq < 0 ? "" : Uri.UnescapeDataString(pair[(eq + 1)..]);
                return (Key: UriEncode(key), Value: UriEncode(value));
            })
            .OrderBy(p => p.Key, StringComparer.Ordinal).ThenBy(p => p.Value, StringComparer.Ordinal)
            .Select(p => p.Key + "=" + p.Value));

    private static string UriEncode(string value)
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
}
