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
/// read in the background: each event becomes a <see cref="ChangeNotice"/>. When the stream drops it
/// says so in the log and reconnects with backoff, resuming after the last event id it handled, so
/// it misses nothing; meanwhile the callers fall back to their TTLs and polling.
/// </summary>
internal sealed class ChangeFeed(AwsWire wire, ILogger logger, Action<ChangeNotice> onChange) : IAsyncDisposable
{
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(30);
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;
    private string? _lastId;
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
                var query = "/_coffer/events/stream?follow=true" + (_lastId is null ? "" : "&after=" + Uri.EscapeDataString(_lastId));
                using var response = await wire.GetStreamAsync("events", query, _stop.Token);
                _connected = true;
                delay = TimeSpan.FromSeconds(1);
                Log.StreamConnected(logger, response.RequestMessage?.RequestUri ?? new Uri("/", UriKind.Relative), _lastId ?? "none");
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
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                if (ChangeNotice.Parse(line[6..]) is { } notice)
                {
                    onChange(notice);
                }

                _lastId = id ?? _lastId;
            }
        }
    }
}
