using System.Security.Cryptography;

namespace Coffer.Signing;

/// <summary>
/// Signs an outgoing request in its Authorization header: <c>host</c>, <c>content-type</c> and every
/// <c>x-amz-*</c> header are signed (the verifier requires the last), with the body's SHA-256 as the
/// payload hash. The signing key comes from the caller, so that a signer may keep it for the day.
/// </summary>
public static class SigV4Request
{
    public static void Sign(HttpRequestMessage request, ReadOnlySpan<byte> body, string accessKeyId, string? sessionToken, string region, string service, string amzDate, byte[] signingKey)
    {
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
        var scope = SigV4.Scope(amzDate[..8], region, service);
        var signature = SigV4.Signature(signingKey, SigV4.StringToSign(amzDate, scope, SigV4.CanonicalRequest(input)));
        request.Headers.TryAddWithoutValidation("Authorization", $"{SigV4.Algorithm} Credential={accessKeyId}/{scope}, SignedHeaders={string.Join(';', signed)}, Signature={signature}");
    }
}
