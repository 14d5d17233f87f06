using System.Text;
using Coffer.Signing;

namespace Coffer.Server.Auth;

/// <summary>Signs outgoing requests with SigV4 (Authorization header), for the coffer CLI's own calls and for tests.</summary>
public static class SigV4Signer
{
    public static async Task SignAsync(HttpRequestMessage request, string accessKeyId, string secretAccessKey, string? sessionToken, string region, string service, DateTimeOffset now)
    {
        var body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync();
        var amzDate = SigV4.FormatDate(now);
        var signingKey = SigV4.SigningKey(Encoding.UTF8.GetBytes(secretAccessKey), amzDate[..8], region, service);
        SigV4Request.Sign(request, body, accessKeyId, sessionToken, region, service, amzDate, signingKey);
    }
}
