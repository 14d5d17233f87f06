using System.Security.Cryptography;

namespace Coffer.Server.Auth;

/// <summary>Signs outgoing requests with SigV4 (Authorization header), for the coffer CLI's own calls and for tests.</summary>
public static class SigV4Signer
{
    public static async Task SignAsync(HttpRequestMessage request, string accessKeyId, string secretAccessKey, string? sessionToken, string region, string service, DateTimeOffset now)
    {
        var body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync();
        var amzDate = SigV4.FormatDate(now);
        var date = amzDate[..8];
        var uri = request.RequestUri ?? throw new ArgumentException("The request has no URI.", nameof(request));
        request.Headers.Host = uri.IsDefaultPort ? uri.Host : $"{uri.Host}:{uri.Port}";
        request.Headers.Remove("X-Amz-Date");
        request.Headers.Add("X-Amz-Date", amzDate);
        if (sessionToken is not null)
        {
            request.Headers.Remove("X-Amz-Security-Token");
            request.Headers.Add("X-Amz-Security-Token", sessionToken);
        }

        var headers = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var h in request.Headers)
        {
            headers[h.Key.ToLowerInvariant()] = h.Value.ToArray();
        }

        if (request.Content is not null)
        {
            foreach (var h in request.Content.Headers)
            {
                headers[h.Key.ToLowerInvariant()] = h.Value.ToArray();
            }
        }

        var signed = headers.Keys.Where(k => k is "host" or "content-type" || k.StartsWith("x-amz-", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
        var input = new SigV4.CanonicalInput(
            request.Method.Method,
            Uri.UnescapeDataString(uri.AbsolutePath),
            SigV4.ParseQuery(uri.Query),
            headers,
            signed,
            SigV4.Hex(SHA256.HashData(body)));
        var scope = SigV4.Scope(date, region, service);
        var signature = SigV4.Signature(SigV4.SigningKey(System.Text.Encoding.UTF8.GetBytes(secretAccessKey), date, region, service), SigV4.StringToSign(amzDate, scope, SigV4.CanonicalRequest(input)));
        request.Headers.TryAddWithoutValidation("Authorization", $"{SigV4.Algorithm} Credential={accessKeyId}/{scope}, SignedHeaders={string.Join(';', signed)}, Signature={signature}");
    }
}
