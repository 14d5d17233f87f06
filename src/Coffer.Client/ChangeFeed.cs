using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Coffer.Client;

/// <summary>What changed, as read from one event: the service and the names and ARNs it concerns.</summary>
internal sealed record ChangeNotice(string Source, IReadOnlyCollection<string> Identifiers)
{
    public const string SecretsManager = "aws.secretsmanager";
    public const string ParameterStore = "aws.ssm";

    /// <summary>The names and ARNs an event concerns: its resources, <c>detail.name</c> and the request's secretId/name(s).</summary>
    public static ChangeNotice? Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        if (!root.TryGetProperty("source", out var source) || source.GetString() is not { } service)
        {
            return null;
        }

        var ids = new HashSet<string>(StringComparer.Ordinal);
        if (root.TryGetProperty("resources", out var resources) && resources.ValueKind == JsonValueKind.Array)
        {
            foreach (var r in resources.EnumerateArray())
            {
                AddArn(ids, r.GetString());
            }
        }

        if (root.TryGetProperty("detail", out var detail) && detail.ValueKind == JsonValueKind.Object)
        {
            Add(ids, detail, "name");
            if (detail.TryGetProperty("requestParameters", out var request) && request.ValueKind == JsonValueKind.Object)
            {
                Add(ids, request, "secretId");
                Add(ids, request, "name");
                Add(ids, request, "names");
            }
        }

        return new ChangeNotice(service, ids);
    }

    private static void Add(HashSet<string> ids, JsonElement parent, string member)
    {
        if (!parent.TryGetProperty(member, out var value))
        {
            return;
        }

        foreach (var v in value.ValueKind == JsonValueKind.Array ? value.EnumerateArray() : Enumerable.Repeat(value, 1))
        {
            if (v.ValueKind == JsonValueKind.String)
            {
                AddArn(ids, v.GetString());
            }
        }
    }

    /// <summary>A name or ARN; a parameter's ARN also gives its name (<c>arn:...:parameter/app/x</c> is <c>/app/x</c>).</summary>
    private static void AddArn(HashSet<string> ids, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return;
        }

        ids.Add(value);
        var marker = value.IndexOf(":parameter/", StringComparison.Ordinal);
        if (value.StartsWith("arn:", StringComparison.Ordinal) && marker > 0)
        {
            ids.Add(value[(marker + ":parameter".Length)..]);
        }
    }
}

/// <summary>
/// Coffer's change stream (<c>GET /_coffer/events/stream</c>, signed for the service <c>events</c>),
/// read in the background: each event becomes a <see cref="ChangeNotice"/>. The first stream starts
/// from now (the events kept are not replayed; everything held is marked once instead, since it may
/// predate the stream). When the stream drops it says so in the log and reconnects with backoff,
/// resuming after the last event id (or the position the server gave) it saw, so it misses nothing;
/// if that id is gone, everything held is marked again. Meanwhile the callers fall back to their
/// TTLs and polling.
/// </summary>
internal sealed class ChangeFeed(AwsWire wire, ILogger logger, Action<ChangeNotice> onChange) : IAsyncDisposable
{
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(30);
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;
    private string? _lastId;
    private bool _opened;
    private volatile bool _connected;

    public bool IsConnected => _connected;

    public void Start() => _loop = Task.Run(RunAsync);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_loop is not null)
        {
            await _loop;
        }

        _stop.Dispose();
    }

    private async Task RunAsync()
    {
        var delay = TimeSpan.FromSeconds(1);
        while (!_stop.IsCancellationRequested)
        {
            string reason;
            try
            {
                // Once a stream has opened, a reconnection resumes after what it saw, or from the start
                // when it saw nothing (the account had no event then, so nothing since is skipped).
                var query = "/_coffer/events/stream?follow=true" + (!_opened ? "&from=now" : _lastId is null ? "" : "&after=" + Uri.EscapeDataString(_lastId));
                using var response = await wire.GetStreamAsync("events", query, _stop.Token);
                Log.StreamConnected(logger, response.RequestMessage?.RequestUri ?? new Uri("/", UriKind.Relative), _opened ? _lastId is null ? "the start" : "after event " + _lastId : "now");
                if (!_opened)
                {
                    _opened = true;
                    MarkEverything();
                }

                _connected = true;
                delay = TimeSpan.FromSeconds(1);
                await ReadAsync(response, _stop.Token);
                reason = "closed by the server";
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (CofferClientException e) when (e.StatusCode == 400 && _lastId is not null)
            {
                Log.StreamResumeLost(logger, _lastId);
                _lastId = null;
                _opened = false;
                reason = e.ErrorCode;
            }
            catch (Exception e) when (e is CofferClientException or HttpRequestException or IOException or JsonException)
            {
                reason = e is CofferClientException c ? c.ErrorCode : e.GetType().Name;
            }

            _connected = false;
            Log.StreamDropped(logger, reason, delay);
            try
            {
                await Task.Delay(delay, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            delay = delay * 2 > MaxDelay ? MaxDelay : delay * 2;
        }
    }

    private async Task ReadAsync(HttpResponseMessage response, CancellationToken ct)
    {
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(ct));
        string? id = null;
        while (await reader.ReadLineAsync(ct) is { } line)
        {
            if (line.StartsWith("id: ", StringComparison.Ordinal))
            {
                id = line[4..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal) && ChangeNotice.Parse(line[6..]) is { } notice)
            {
                onChange(notice);
            }
            else if (line.Length == 0 && id is not null)
            {
                // The end of a message: an event, or the position the stream started at (an id alone).
                _lastId = id;
                id = null;
            }
        }
    }

    /// <summary>Notices naming nothing: every item of each service is checked again on its next read.</summary>
    private void MarkEverything()
    {
        onChange(new ChangeNotice(ChangeNotice.SecretsManager, []));
        onChange(new ChangeNotice(ChangeNotice.ParameterStore, []));
    }
}
