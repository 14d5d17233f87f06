using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Coffer.Server.Tests.Events;

/// <summary>One request the receiver got: the event, whether its signature verified, and what it answered.</summary>
public sealed record Receipt(string EventId, JsonElement Event, bool SignatureValid, string? ApiKey, string? Authorization, int Status, byte[] Body, string? Signature);

/// <summary>
/// A webhook on 127.0.0.1:0 that verifies X-Coffer-Signature as docs/events.md tells a receiver to,
/// records every request, and fails on purpose for the parameter names it is told to.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<Receipt> _receipts = new();
    private readonly ConcurrentDictionary<string, int> _failures = new(StringComparer.Ordinal);

    private WebhookReceiver(WebApplication app) => _app = app;

    public string Url { get; private set; } = "";

    /// <summary>The destination's signing secret, once known.</summary>
    public string SigningSecret { get; set; } = "";

    public IReadOnlyList<Receipt> Receipts => [.. _receipts];

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.Run(receiver.HandleAsync);
        await app.StartAsync();
        receiver.Url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/hook";
        return receiver;
    }

    /// <summary>Answers 503 to the next <paramref name="times"/> deliveries of events about <paramref name="parameterName"/>.</summary>
    public void FailFor(string parameterName, int times = int.MaxValue) => _failures[parameterName] = times;

    public void Recover(string parameterName) => _failures.TryRemove(parameterName, out _);

    /// <summary>The receiver's half of the contract in docs/events.md.</summary>
    public static bool Verify(string secret, string? header, byte[] body, DateTimeOffset now)
    {
        var parts = (header ?? "").Split(',').Select(p => p.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1]);
        if (!parts.TryGetValue("t", out var t) || !parts.TryGetValue("v1", out var v1) || !long.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return false;
        }

        if (Math.Abs(now.ToUnixTimeSeconds() - seconds) > 300)
        {
            return false;
        }

        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), (byte[])[.. Encoding.UTF8.GetBytes(t + "."), .. body]);
        var given = v1.Length == 64 ? Convert.FromHexString(v1) : [];
        return CryptographicOperations.FixedTimeEquals(expected, given);
    }

    /// <summary>Waits (generously) until an event for which <paramref name="match"/> holds was answered with 200.</summary>
    public async Task<Receipt> WaitForAsync(Func<JsonElement, bool> match, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (DateTime.UtcNow < deadline)
        {
            if (_receipts.FirstOrDefault(r => r.Status == 200 && match(r.Event)) is { } receipt)
            {
                return receipt;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException("The receiver did not get the event. It got: " + string.Join("\n", _receipts.Select(r => r.Event.GetRawText())));
    }

    /// <summary>Waits until some request (delivered or refused) matched.</summary>
    public async Task WaitForAttemptAsync(Func<JsonElement, bool> match)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < deadline && !_receipts.Any(r => match(r.Event)))
        {
            await Task.Delay(50);
        }

        Assert.True(_receipts.Any(r => match(r.Event)), "No delivery attempt arrived.");
    }

    public static bool IsParameterChange(JsonElement e, string name) =>
        e.GetProperty("detail-type").GetString() == "Parameter Store Change" && e.GetProperty("detail").GetProperty("name").GetString() == name;

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>The OAuth client the token endpoint (<c>/token</c>) accepts, as client-credentials Basic auth.</summary>
    public const string OAuthClient = "coffer-client";
    public const string OAuthSecret = "oauth-secret-canary";
    public const string OAuthToken = "token-from-the-receiver";

    public string TokenUrl => Url.Replace("/hook", "/token", StringComparison.Ordinal);

    private async Task HandleAsync(HttpContext context)
    {
        if (context.Request.Path == "/token")
        {
            var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{OAuthClient}:{OAuthSecret}"));
            var form = await context.Request.ReadFormAsync();
            var ok = context.Request.Headers.Authorization == expected && form["grant_type"] == "client_credentials";
            context.Response.StatusCode = ok ? 200 : 401;
            if (ok)
            {
                await context.Response.WriteAsJsonAsync(new Dictionary<string, object> { ["access_token"] = OAuthToken, ["expires_in"] = 3600 });
            }

            return;
        }

        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer);
        var body = buffer.ToArray();
        var e = JsonDocument.Parse(body).RootElement.Clone();
        var valid = Verify(SigningSecret, context.Request.Headers["X-Coffer-Signature"], body, DateTimeOffset.UtcNow);
        var name = e.TryGetProperty("detail", out var d) && d.TryGetProperty("name", out var n) ? n.GetString() ?? "" : "";
        var status = 200;
        if (_failures.TryGetValue(name, out var left) && left > 0)
        {
            _failures[name] = left == int.MaxValue ? left : left - 1;
            status = 503;
        }

        _receipts.Enqueue(new Receipt(e.GetProperty("id").GetString()!, e, valid, context.Request.Headers["X-Api-Key"], context.Request.Headers.Authorization, status, body, context.Request.Headers["X-Coffer-Signature"]));
        context.Response.StatusCode = status;
    }
}
