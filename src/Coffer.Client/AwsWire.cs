using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using Amazon.Runtime;
using Amazon.Runtime.Internal.Auth;

namespace Coffer.Client;

/// <summary>
/// The client's own HTTP calls (Secrets Manager's JSON 1.1 and Coffer's change stream), signed
/// with SigV4 by AWSSDK.Core's <see cref="AWS4Signer"/> with the credentials the SDK resolves.
/// </summary>
internal sealed class AwsWire : IDisposable
{
    private const string JsonContentType = "application/x-amz-json-1.1";
    private readonly CofferClientOptions _options;
    private readonly AWSCredentials _credentials;

    public AwsWire(CofferClientOptions options)
    {
        _options = options;
        _credentials = options.ResolveCredentials();
        Http = new HttpClient(options.HttpHandlerFactory?.Invoke() ?? new HttpClientHandler(), disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
    }

    public HttpClient Http { get; }

    public void Dispose() => Http.Dispose();

    /// <summary>A JSON 1.1 call; the answer's JSON, or a <see cref="CofferClientException"/> with AWS's error code.</summary>
    public async Task<JsonDocument> PostJsonAsync(string service, string target, byte[] body, CancellationToken ct)
    {
        var uri = _options.ServiceUri(service);
        using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(JsonContentType);
        request.Headers.TryAddWithoutValidation("X-Amz-Target", target);
        await SignAsync(request, service, body, new() { ["content-type"] = JsonContentType, ["x-amz-target"] = target });
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        using var response = await Http.SendAsync(request, timeout.Token);
        var bytes = await response.Content.ReadAsByteArrayAsync(timeout.Token);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(bytes.Length == 0 ? "{}"u8.ToArray() : bytes);
        }
        catch (JsonException e)
        {
            throw new CofferClientException(CofferErrorCodes.InvalidResponse, (int)response.StatusCode, $"The {target} answer was not JSON.", e);
        }

        if (!response.IsSuccessStatusCode)
        {
            using (document)
            {
                throw Error(document.RootElement, (int)response.StatusCode);
            }
        }

        return document;
    }

    /// <summary>Sends a signed GET whose answer is read as it arrives (the change stream).</summary>
    public async Task<HttpResponseMessage> GetStreamAsync(string service, string pathAndQuery, CancellationToken ct)
    {
        var uri = new Uri(_options.ServiceUri(service), pathAndQuery);
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        await SignAsync(request, service, [], []);
        var response = await Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        if (!response.IsSuccessStatusCode)
        {
            using (response)
            {
                var text = await response.Content.ReadAsByteArrayAsync(ct);
                using var document = JsonDocument.Parse(text.Length == 0 ? "{}"u8.ToArray() : text);
                throw Error(document.RootElement, (int)response.StatusCode);
            }
        }

        return response;
    }

    /// <summary>AWS's error from a JSON 1.1 answer: <c>__type</c> (perhaps with a namespace before '#') and <c>message</c>.</summary>
    private static CofferClientException Error(JsonElement root, int status)
    {
        var type = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("__type", out var t) ? t.GetString() ?? "" : "";
        var code = type.Contains('#', StringComparison.Ordinal) ? type[(type.LastIndexOf('#') + 1)..] : type;
        var message = root.ValueKind == JsonValueKind.Object && (root.TryGetProperty("message", out var m) || root.TryGetProperty("Message", out m)) ? m.GetString() ?? "" : "";
        return new CofferClientException(code.Length == 0 ? $"Http{status}" : code, status, message);
    }

    private async Task SignAsync(HttpRequestMessage request, string service, byte[] body, Dictionary<string, string> signedExtra)
    {
        var credentials = await _credentials.GetCredentialsAsync();
        var uri = request.RequestUri!;
        var now = DateTime.UtcNow;
        var headers = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["host"] = uri.IsDefaultPort ? uri.Host : $"{uri.Host}:{uri.Port}",
            ["x-amz-date"] = now.ToString("yyyyMMdd'T'HHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture),
        };
        foreach (var (name, value) in signedExtra)
        {
            headers[name] = value;
        }

        if (credentials.UseToken)
        {
            headers["x-amz-security-token"] = credentials.Token;
            request.Headers.TryAddWithoutValidation("X-Amz-Security-Token", credentials.Token);
        }

        request.Headers.TryAddWithoutValidation("X-Amz-Date", headers["x-amz-date"]);
        var bodyHash = Convert.ToHexStringLower(SHA256.HashData(body));
        // The canonical request is written here (AWS4Signer keeps its own builder internal); the
        // signing key derivation and signature are AWS4Signer's.
        var signedHeaders = string.Join(';', headers.Keys);
        var canonical = string.Join('\n',
            request.Method.Method,
            uri.AbsolutePath,
            CanonicalQuery(uri.Query),
            string.Concat(headers.Select(h => $"{h.Key}:{h.Value.Trim()}\n")),
            signedHeaders,
            Convert.ToHexStringLower(SHA256.HashData(body)));
        var signed = AWS4Signer.ComputeSignature(credentials, _options.Region, now, service, signedHeaders, canonical);
        request.Headers.TryAddWithoutValidation("Authorization", signed.ForAuthorizationHeader);
    }

    private static string CanonicalQuery(string query) =>
        query.Length <= 1 ? "" : string.Join('&', query[1..].Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .Select(p => (Name: Uri.EscapeDataString(Uri.UnescapeDataString(p[0])), Value: Uri.EscapeDataString(Uri.UnescapeDataString(p.Length > 1 ? p[1] : ""))))
            .OrderBy(p => p.Name, StringComparer.Ordinal).ThenBy(p => p.Value, StringComparer.Ordinal)
            .Select(p => $"{p.Name}={p.Value}"));
}
