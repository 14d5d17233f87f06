using System.Diagnostics;
using System.Text.Json;

namespace Coffer.Agent;

public sealed partial class AnswerCache
{
    /// <summary>Marks every entry for this ARN or name as changed and refreshes it in the background;
    /// returns how many were marked. A call already running when the change came is not trusted either.</summary>
    public int Invalidate(IReadOnlyCollection<string> arnsOrNames)
    {
        var generation = Interlocked.Increment(ref _generation);
        if (_changed.Count > 4096)
        {
            // Forgetting which names changed is safe only if every call running now is distrusted.
            Volatile.Write(ref _forgottenBefore, generation);
            _changed.Clear();
        }

        foreach (var name in arnsOrNames)
        {
            _changed[name] = generation;
        }

        var count = 0;
        foreach (var entry in _entries.Values)
        {
            if (arnsOrNames.Contains(entry.Arn) || arnsOrNames.Contains(entry.Request.Name) || arnsOrNames.Contains(entry.ResourceName))
            {
                entry.Invalidated = true;
                count++;
                _ = SingleFlightAsync(entry.Request with { RefreshNow = true }, caches: true);
            }
        }

        return count;
    }

    /// <summary>Marks every entry as changed (the stream missed events it cannot replay).</summary>
    public void InvalidateAll()
    {
        Volatile.Write(ref _forgottenBefore, Interlocked.Increment(ref _generation));
        foreach (var entry in _entries.Values)
        {
            entry.Invalidated = true;
        }
    }

    private void Store(AgentRequest request, UpstreamAnswer upstream, long generation)
    {
        var size = upstream.Body.Length + request.Key.Length * 2;
        if (size > options.CacheBytes)
        {
            return;
        }

        var (arn, name) = Identity(request.Kind, upstream.Body);
        var entry = new Entry(request, AgentAnswer.From(upstream), size, time.GetTimestamp(), arn, name)
        {
            LastUsed = Stopwatch.GetTimestamp(),

            // A change announced while this call ran may not be in its answer: serve it once, fetch again next time.
            Invalidated = ChangedSince(generation, arn, name, request.Name),
        };
        lock (_evictGate)
        {
            if (_entries.TryGetValue(request.Key, out var old))
            {
                _bytes -= old.Size;
            }

            _entries[request.Key] = entry;
            _bytes += size;
            while (_entries.Count > options.CacheSize || _bytes > options.CacheBytes)
            {
                var oldest = _entries.Values.MinBy(e => e.LastUsed)!;
                _entries.TryRemove(oldest.Request.Key, out _);
                _bytes -= oldest.Size;
                Log.Evicted(logger, oldest.Request.Kind, oldest.Request.Name);
            }
        }

        // An event handled between the check above and the insert did not see this entry: check again.
        if (ChangedSince(generation, arn, name, request.Name))
        {
            entry.Invalidated = true;
        }
    }

    private bool ChangedSince(long generation, params ReadOnlySpan<string> names)
    {
        if (Volatile.Read(ref _forgottenBefore) > generation)
        {
            return true;
        }

        foreach (var name in names)
        {
            if (name.Length > 0 && _changed.TryGetValue(name, out var at) && at > generation)
            {
                return true;
            }
        }

        return false;
    }

    private void Remove(string key)
    {
        lock (_evictGate)
        {
            if (_entries.TryRemove(key, out var old))
            {
                _bytes -= old.Size;
            }
        }
    }

    /// <summary>The ARN and name in a GetParameter (<c>Parameter.ARN</c>) or GetSecretValue (<c>ARN</c>) answer.</summary>
    private static (string Arn, string Name) Identity(RequestKind kind, byte[] body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            var root = kind == RequestKind.Parameter && doc.RootElement.TryGetProperty("Parameter", out var p) ? p : doc.RootElement;
            return (
                root.TryGetProperty("ARN", out var arn) ? arn.GetString() ?? "" : "",
                root.TryGetProperty("Name", out var name) ? name.GetString() ?? "" : "");
        }
        catch (JsonException)
        {
            return ("", "");
        }
    }

    private sealed class Entry(AgentRequest request, AgentAnswer answer, long size, long fetchedAt, string arn, string resourceName)
    {
        public AgentRequest Request { get; } = request;

        public AgentAnswer Answer { get; } = answer;

        public long Size { get; } = size;

        public long FetchedAt { get; } = fetchedAt;

        public string Arn { get; } = arn;

        public string ResourceName { get; } = resourceName;

        public volatile bool Invalidated;

        public long LastUsed;
    }
}
