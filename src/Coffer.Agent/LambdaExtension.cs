using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Coffer.Agent;

/// <summary>
/// The Lambda Extensions API loop, run when <c>AWS_LAMBDA_RUNTIME_API</c> is set: register for
/// INVOKE and SHUTDOWN (<c>POST /2020-01-01/extension/register</c> with <c>Lambda-Extension-Name</c>),
/// then ask for the next event (<c>GET /2020-01-01/extension/event/next</c> with the
/// <c>Lambda-Extension-Identifier</c> it was given) until SHUTDOWN. The HTTP endpoint is up before
/// registering, so the function can read through it from its first invocation.
/// </summary>
internal sealed class LambdaExtension(string runtimeApi, string name, ILogger logger) : IDisposable
{
    private const string Version = "2020-01-01";
    private readonly HttpClient _http = new() { BaseAddress = new Uri($"http://{runtimeApi}/"), Timeout = Timeout.InfiniteTimeSpan };

    /// <summary>Runs until Lambda sends SHUTDOWN (or <paramref name="ct"/> ends); returns the last event type.</summary>
    public async Task<string> RunAsync(CancellationToken ct)
    {
        using var register = new HttpRequestMessage(HttpMethod.Post, $"{Version}/extension/register")
        {
            Content = new StringContent("""{"events":["INVOKE","SHUTDOWN"]}""", Encoding.UTF8, new MediaTypeHeaderValue("application/json")),
        };
        register.Headers.Add("Lambda-Extension-Name", name);
        using var registered = await _http.SendAsync(register, ct);
        if (!registered.IsSuccessStatusCode || !registered.Headers.TryGetValues("Lambda-Extension-Identifier", out var ids))
        {
            var reason = $"register answered HTTP {(int)registered.StatusCode}";
            Log.LambdaFailed(logger, reason);
            throw new InvalidOperationException(reason);
        }

        var id = ids.First();
        Log.Registered(logger, name, id);
        while (true)
        {
            using var next = new HttpRequestMessage(HttpMethod.Get, $"{Version}/extension/event/next");
            next.Headers.Add("Lambda-Extension-Identifier", id);
            using var response = await _http.SendAsync(next, ct);
            if (!response.IsSuccessStatusCode)
            {
                var reason = $"event/next answered HTTP {(int)response.StatusCode}";
                Log.LambdaFailed(logger, reason);
                throw new InvalidOperationException(reason);
            }

            using var doc = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(ct), cancellationToken: ct);
            var type = doc.RootElement.TryGetProperty("eventType", out var t) ? t.GetString() ?? "" : "";
            Log.LambdaEvent(logger, type);
            if (type == "SHUTDOWN")
            {
                return type;
            }
        }
    }

    public void Dispose() => _http.Dispose();
}
