using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Coffer.Agent;

/// <summary>
/// Reads Coffer's change events (<c>GET /_coffer/events/stream</c>, server-sent events, SigV4 for
/// the service <c>events</c>) and invalidates the cached answers they name, so a new parameter
/// version or a rotated secret is served as soon as the event arrives. When the stream drops, the
/// TTL is all that bounds staleness: the log says so, and the subscriber reconnects with backoff,
/// resuming after the last event it handled so that nothing is missed (or, when that event is gone,
/// dropping the cache). The first stream starts from now rather than replaying the events kept.
/// </summary>
internal sealed class EventSubscriber(AgentOptions options, RequestSigner signer, AnswerCache cache, ILogger logger) : IDisposable
{
    public const string StreamPath = "/_coffer/events/stream";
    private static readonly TimeSpan FirstDelay = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan LastDelay = TimeSpan.FromSeconds(30);
    private readonly HttpClient _http = new(CofferClient.CreateHandler(options.CaBundle, 1)) { Timeout = Timeout.InfiniteTimeSpan };
    private volatile bool _connected;
    private bool _opened;

    /// <summary>Whether the stream is open now (when it is not, answers expire by TTL only).</summary>
    public bool Connected => _connected;

    /// <summary>The id of the last event handled; a reconnection resumes after it.</summary>
    public string? LastEventId { get; private set; }

    public async Task RunAsync(CancellationToken ct)
    {
        var delay = FirstDelay;
        while (!ct.IsCancellationRequested)
        {
            string reason;
            try
            {
                reason = await ReadAsync(() => delay = FirstDelay, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException)
            {
                reason = e is HttpRequestException h ? $"connection failed: {h.HttpRequestError}" : "connection lost";
            }

            _connected = false;
            var wait = delay + TimeSpan.FromMilliseconds(Random.Shared.Next(0, (int)(delay.TotalMilliseconds / 4) + 1));
            Log.StreamDown(logger, reason, (long)wait.TotalMilliseconds);
            try
            {
                await Task.Delay(wait, ct);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, LastDelay.Ticks));
        }
    }

    /// <summary>Reads the stream until it ends; returns why it ended.</summary>
    private async Task<string> ReadAsync(Action onConnected, CancellationToken ct)
    {
        using var response = await OpenAsync(ct);
        if (response.StatusCode == System.Net.HttpStatusCode.BadRequest && LastEventId is not null)
        {
            // The event to resume after is gone (the server's state was reset or restored): what
            // changed since cannot be told, so every cached answer is fetched again on its next read.
            Log.ResumeLost(logger, LastEventId);
            LastEventId = null;
            _opened = false;
            cache.InvalidateAll();

            // Coffer answered, so the next try (from now) comes after the first delay, not a longer one.
            onConnected();
            return "the event to resume after is gone";
        }

        if (!response.IsSuccessStatusCode)
        {
            return $"HTTP {(int)response.StatusCode}";
        }

        if (!_opened)
        {
            // The first stream starts from now (the events kept changed nothing cached since):
            // what was cached before it opened may predate a change, so it is fetched again on its next read.
            _opened = true;
            cache.InvalidateAll();
        }

        _connected = true;
        onConnected();
        Log.Subscribed(logger, options.Endpoints.Events!.ToString());
        await ReadEventsAsync(response, ct);
        return "the server closed it";
    }

    /// <summary>
    /// The first stream opens from now; its first message is the position to resume after. Later
    /// ones resume after the last event (or position) seen, or, when none came, from the start
    /// (the account had no event when the first one opened, so nothing since is skipped).
    /// </summary>
    private async Task<HttpResponseMessage> OpenAsync(CancellationToken ct)
    {
        var query = "?follow=true" + (!_opened ? "&from=now" : LastEventId is null ? "" : "&after=" + Uri.EscapeDataString(LastEventId));
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(options.Endpoints.Events!, StreamPath + query));
        signer.Sign(request, "events", []);
        return await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
    }

    private async Task ReadEventsAsync(HttpResponseMessage response, CancellationToken ct)
    {
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(ct));
        string? id = null;
        while (await reader.ReadLineAsync(ct) is { } line)
        {
            if (line.StartsWith("id: ", StringComparison.Ordinal))
            {
                id = line[4..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                Handle(id ?? "", line[6..]);
            }
            else if (line.Length == 0 && id is not null)
            {
                LastEventId = id;
                id = null;
            }
        }
    }

    /// <summary>Invalidates what the event names: its resources' ARNs and the names in its detail.</summary>
    private void Handle(string eventId, string json)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            using var doc = JsonDocument.Parse(json);
            var root = doc.RootElement;
            if (root.TryGetProperty("resources", out var resources) && resources.ValueKind == JsonValueKind.Array)
            {
                foreach (var r in resources.EnumerateArray())
                {
                    Add(names, r);
                }
            }

            if (root.TryGetProperty("detail", out var detail) && detail.ValueKind == JsonValueKind.Object)
            {
                Add(names, detail.TryGetProperty("name", out var n) ? n : default);
                if (detail.TryGetProperty("requestParameters", out var p) && p.ValueKind == JsonValueKind.Object)
                {
                    Add(names, p.TryGetProperty("name", out var pn) ? pn : default);
                    Add(names, p.TryGetProperty("secretId", out var ps) ? ps : default);
                }
            }
        }
        catch (JsonException)
        {
            return;
        }

        if (names.Count > 0)
        {
            Log.Invalidated(logger, eventId, cache.Invalidate(names));
        }
    }

    private static void Add(HashSet<string> names, JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } s)
        {
            names.Add(s);
        }
    }

    public void Dispose() => _http.Dispose();
}
