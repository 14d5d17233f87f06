using System.Text;
using System.Xml.Linq;
using Coffer.Server.Auth;

namespace Coffer.Cli.Commands;

/// <summary>
/// The coffer CLI's calls to a server, signed with SigV4 like any AWS client, with the credentials
/// of the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_REGION).
/// </summary>
internal sealed class SignedClient(Uri endpoint) : IDisposable
{
    private readonly HttpClient _http = CofferHttp.CreateClient();

    public void Dispose() => _http.Dispose();

    /// <summary>A query-protocol call (IAM, STS); returns the response XML or throws with AWS's error code and message.</summary>
    public async Task<XElement> QueryAsync(string service, string version, string action, IEnumerable<KeyValuePair<string, string>> parameters, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint)
        {
            Content = new FormUrlEncodedContent([new("Action", action), new("Version", version), .. parameters]),
        };
        var (status, text) = await SendAsync(request, service, ct);
        var xml = XElement.Parse(text);
        if (status >= 300)
        {
            throw new CliException($"{Find(xml, "Code")}: {Find(xml, "Message")}");
        }

        return xml;
    }

    /// <summary>A JSON 1.1 call (Coffer's own operations); returns the response body or throws with the error.</summary>
    public async Task<System.Text.Json.JsonDocument> JsonAsync(string service, string target, string json, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new StringContent(json, Encoding.UTF8) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/x-amz-json-1.1");
        request.Headers.Add("X-Amz-Target", target);
        var (status, text) = await SendAsync(request, service, ct);
        var doc = System.Text.Json.JsonDocument.Parse(text.Length == 0 ? "{}" : text);
        if (status >= 300)
        {
            var root = doc.RootElement;
            var code = root.TryGetProperty("__type", out var t) ? t.GetString() : $"HTTP {status}";
            var message = root.TryGetProperty("message", out var m) ? m.GetString() : text;
            throw new CliException($"An error occurred ({code}) when calling the {target.Split('.')[^1]} operation: {message}");
        }

        return doc;
    }

    /// <summary>A signed GET whose answer is a stream of lines (server-sent events); each line goes to <paramref name="onLine"/>.</summary>
    public async Task StreamLinesAsync(string pathAndQuery, string service, Action<string> onLine, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(endpoint, pathAndQuery));
        await SignAsync(request, service);
        _http.Timeout = Timeout.InfiniteTimeSpan;
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        if (!response.IsSuccessStatusCode)
        {
            throw new CliException($"HTTP {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(ct)}");
        }

        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(ct));
        while (await reader.ReadLineAsync(ct) is { } line)
        {
            onLine(line);
        }
    }

    public static string? Find(XElement xml, string name) => xml.Descendants().FirstOrDefault(e => e.Name.LocalName == name)?.Value;

    private async Task<(int Status, string Text)> SendAsync(HttpRequestMessage request, string service, CancellationToken ct)
    {
        await SignAsync(request, service);
        using var response = await _http.SendAsync(request, ct);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(ct));
    }

    private static async Task SignAsync(HttpRequestMessage request, string service)
    {
        var id = Environment.GetEnvironmentVariable("AWS_ACCESS_KEY_ID");
        var secret = Environment.GetEnvironmentVariable("AWS_SECRET_ACCESS_KEY");
        if (string.IsNullOrEmpty(id) || string.IsNullOrEmpty(secret))
        {
            throw new CliException("Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN for temporary credentials) to sign the request.");
        }

        var region = new[] { "AWS_REGION", "AWS_DEFAULT_REGION" }.Select(Environment.GetEnvironmentVariable).FirstOrDefault(v => !string.IsNullOrEmpty(v)) ?? "us-east-1";
        var token = Environment.GetEnvironmentVariable("AWS_SESSION_TOKEN") is { Length: > 0 } t ? t : null;
        await SigV4Signer.SignAsync(request, id, secret, token, region, service, DateTimeOffset.UtcNow);
    }
}

/// <summary>A failure to report to the user as one line, without a stack trace.</summary>
internal sealed class CliException(string message) : Exception(message);
