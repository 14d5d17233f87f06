using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Coffer.Server.Auth;

namespace Coffer.Server.Tests.Infrastructure;

/// <summary>Hand-made AWS JSON requests, for what real SDKs never send: bad bodies, bad signatures, odd headers.</summary>
public sealed class RawClient(CofferFixture fixture) : IDisposable
{
    private readonly HttpClient _http = new();

    public static HttpRequestMessage Json(CofferFixture fixture, string target, string body, string contentType = "application/x-amz-json-1.1")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(fixture.Endpoint + "/"))
        {
            Content = new StringContent(body, Encoding.UTF8),
        };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        request.Headers.TryAddWithoutValidation("X-Amz-Target", target);
        return request;
    }

    public Task<(int Status, string? Type, string Message, HttpResponseMessage Response)> SendSignedAsync(string target, string body, string service = "kms", DateTimeOffset? at = null, string? secret = null, string? accessKeyId = null, string contentType = "application/x-amz-json-1.1")
    {
        var request = Json(fixture, target, body, contentType);
        return SendAsync(request, sign: r => SigV4Signer.SignAsync(r, accessKeyId ?? CofferFixture.AccessKeyId, secret ?? CofferFixture.SecretAccessKey, null, CofferFixture.Region, service, at ?? DateTimeOffset.UtcNow));
    }

    public async Task<(int Status, string? Type, string Message, HttpResponseMessage Response)> SendAsync(HttpRequestMessage request, Func<HttpRequestMessage, Task>? sign = null, Action<HttpRequestMessage>? afterSigning = null)
    {
        if (sign is not null)
        {
            await sign(request);
        }

        afterSigning?.Invoke(request);
        var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        string? type = null;
        var message = text;
        if (!response.IsSuccessStatusCode && response.Content.Headers.ContentType?.MediaType?.Contains("json", StringComparison.Ordinal) == true && text.Length > 0)
        {
            using var doc = JsonDocument.Parse(text);
            type = doc.RootElement.TryGetProperty("__type", out var t) ? t.GetString() : null;
            message = doc.RootElement.TryGetProperty("message", out var m) ? m.GetString() ?? "" : "";
        }

        return ((int)response.StatusCode, type, message, response);
    }

    public void Dispose() => _http.Dispose();
}
