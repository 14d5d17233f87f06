using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Coffer.Core.Events;

namespace Coffer.Server.Hosting;

public sealed partial class EventDispatcher
{
    public const string SignatureHeader = "X-Coffer-Signature";
    public const string EventIdHeader = "X-Coffer-Event-Id";

    private readonly ConcurrentDictionary<string, (string Token, DateTimeOffset Expires)> _tokens = new();
    private readonly ConcurrentDictionary<string, DateTimeOffset> _lastSend = new();

    /// <summary><c>t=UNIX_SECONDS,v1=HEX(HMAC-SHA256(secret, "t.body"))</c>: what a receiver recomputes to verify a delivery.</summary>
    public static string Sign(string signingSecret, long unixSeconds, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes(unixSeconds.ToString(CultureInfo.InvariantCulture) + ".");
        var message = new byte[prefix.Length + body.Length];
        prefix.CopyTo(message, 0);
        body.CopyTo(message.AsSpan(prefix.Length));
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(signingSecret), message);
        return $"t={unixSeconds},v1={Convert.ToHexStringLower(mac)}";
    }

    private async Task<(bool Ok, int Attempts, string Error)> DeliverWithRetriesAsync(CofferEvent e, DeliveryTarget target, CancellationToken ct)
    {
        if (target.Destination is null)
        {
            return (false, 1, "The target's API destination does not exist.");
        }

        var body = JsonSerializer.SerializeToUtf8Bytes(e, EventJson.Default.CofferEvent);
        var error = "";
        for (var attempt = 1; attempt <= _options.MaxAttempts; attempt++)
        {
            bool retryable;
            (retryable, error) = await SendAsync(e.Id, body, target.Destination, ct);
            if (error.Length == 0)
            {
                return (true, attempt, "");
            }

            LogAttemptFailed(_logger, e.Id, target.TargetArn, attempt, error);
            if (!retryable || attempt == _options.MaxAttempts)
            {
                return (false, attempt, error);
            }

            await Task.Delay(Backoff(attempt), _services.Time, ct);
        }

        return (false, _options.MaxAttempts, error);
    }

    /// <summary>Exponential backoff with jitter: a random wait between half and all of initial × 2^(attempt-1), capped.</summary>
    private TimeSpan Backoff(int attempt)
    {
        var full = Math.Min(_options.MaxBackoff.TotalMilliseconds, _options.InitialBackoff.TotalMilliseconds * Math.Pow(2, attempt - 1));
        return TimeSpan.FromMilliseconds((full / 2) + (Random.Shared.NextDouble() * full / 2));
    }

    /// <summary>One HTTP request; an empty error means delivered. Client errors other than 408 and 429 are not retried.</summary>
    private async Task<(bool Retryable, string Error)> SendAsync(string eventId, byte[] body, ApiDestination destination, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(_options.Timeout);
        try
        {
            await ThrottleAsync(destination, ct);
            var keys = await _services.Rules.KeysAsync(destination, ct);
            using var request = new HttpRequestMessage(new HttpMethod(destination.HttpMethod), destination.InvocationEndpoint);
            if (destination.HttpMethod is "POST" or "PUT" or "PATCH")
            {
                request.Content = new ByteArrayContent(body);
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            }

            request.Headers.TryAddWithoutValidation(SignatureHeader, Sign(keys.SigningSecret, _services.Time.GetUtcNow().ToUnixTimeSeconds(), body));
            request.Headers.TryAddWithoutValidation(EventIdHeader, eventId);
            await AuthorizeAsync(request, keys, timeout.Token);
            using var response = await _http.SendAsync(request, timeout.Token);
            var status = (int)response.StatusCode;
            return response.IsSuccessStatusCode
                ? (false, "")
                : (status >= 500 || response.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests, $"HTTP {status}");
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return (true, "timed out");
        }
        catch (HttpRequestException x)
        {
            return (true, "connection failed: " + x.HttpRequestError.ToString());
        }
        catch (Core.CofferException x)
        {
            // The destination's or connection's secret cannot be decrypted (its KMS key is gone,
            // say): retrying will not help, and the events behind this one must not wait for it.
            return (false, "the destination's keys cannot be read: " + x.Code);
        }
    }

    /// <summary>The connection's authorization: Basic, an API key header, or an OAuth client-credentials bearer token.</summary>
    private async Task AuthorizeAsync(HttpRequestMessage request, DeliveryKeys keys, CancellationToken ct)
    {
        var c = keys.Connection;
        switch (c?.AuthorizationType)
        {
            case EventConnection.Basic:
                request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{c.Public.Username}:{keys.ConnectionSecret}")));
                break;
            case EventConnection.ApiKey:
                request.Headers.TryAddWithoutValidation(c.Public.ApiKeyName!, keys.ConnectionSecret);
                break;
            case EventConnection.OAuthClientCredentials:
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync(c, keys.ConnectionSecret!, ct));
                break;
        }
    }

    private async Task<string> TokenAsync(EventConnection c, string clientSecret, CancellationToken ct)
    {
        var key = c.Arn + "|" + c.LastModifiedTime.ToUnixTimeMilliseconds();
        if (_tokens.TryGetValue(key, out var cached) && cached.Expires > _services.Time.GetUtcNow())
        {
            return cached.Token;
        }

        using var request = new HttpRequestMessage(new HttpMethod(c.Public.OAuthHttpMethod ?? "POST"), c.Public.AuthorizationEndpoint)
        {
            Content = new FormUrlEncodedContent([new("grant_type", "client_credentials")]),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Uri.EscapeDataString(c.Public.ClientId!)}:{Uri.EscapeDataString(clientSecret)}")));
        using var response = await _http.SendAsync(request, ct);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"The OAuth endpoint answered HTTP {(int)response.StatusCode}.");
        }

        using var doc = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(ct), cancellationToken: ct);
        var token = doc.RootElement.TryGetProperty("access_token", out var t) && t.GetString() is { } s ? s : throw new HttpRequestException("The OAuth endpoint gave no access_token.");
        var lifetime = doc.RootElement.TryGetProperty("expires_in", out var e) && e.TryGetInt32(out var seconds) ? seconds : 300;
        _tokens[key] = (token, _services.Time.GetUtcNow().AddSeconds(Math.Max(0, lifetime - 30)));
        return token;
    }

    /// <summary>Keeps to the destination's InvocationRateLimitPerSecond by spacing its requests.</summary>
    private async Task ThrottleAsync(ApiDestination destination, CancellationToken ct)
    {
        var gap = TimeSpan.FromSeconds(1.0 / Math.Max(1, destination.InvocationRateLimitPerSecond ?? 300));
        var now = _services.Time.GetUtcNow();
        if (_lastSend.TryGetValue(destination.Arn, out var last) && now - last < gap)
        {
            await Task.Delay(gap - (now - last), _services.Time, ct);
        }

        _lastSend[destination.Arn] = _services.Time.GetUtcNow();
    }
}
