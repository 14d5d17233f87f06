using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Coffer.Agent;

/// <summary>
/// The agent's cache of answers. Bounded by entries (<c>PARAMETERS_SECRETS_EXTENSION_CACHE_SIZE</c>)
/// and bytes, the least recently used going first; single-flight, so concurrent misses for one key
/// make one call to Coffer; stale-on-error, so a value past its TTL is still served for
/// <see cref="AgentOptions.MaxStale"/> while Coffer cannot be reached or fails. Change events
/// invalidate entries by ARN or name and refresh them in the background.
/// </summary>
public sealed partial class AnswerCache(AgentOptions options, CofferClient client, TimeProvider time, ILogger logger)
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Task<AgentAnswer>> _inflight = new(StringComparer.Ordinal);

    // The request targets (path, query) already seen for each key, so a hit needs no query parsing.
    private readonly ConcurrentDictionary<(string Path, string Query), string> _aliases = new();
    private readonly Lock _evictGate = new();
    private long _bytes;
    private long _generation;

    // When each changed ARN or name was last announced (a generation), to tell whether a call that
    // was running then can be trusted; and the generation before which that record was dropped.
    private readonly ConcurrentDictionary<string, long> _changed = new(StringComparer.Ordinal);
    private long _forgottenBefore;
    private long _calls;

    /// <summary>Calls made to Coffer so far (for tests and the log).</summary>
    public long Calls => Interlocked.Read(ref _calls);

    public int Count => _entries.Count;

    /// <summary>The hot path: a fresh answer for a request target seen before, without parsing it again.</summary>
    public bool TryGetFresh((string Path, string Query) target, out AgentAnswer? answer)
    {
        if (_aliases.TryGetValue(target, out var key) && _entries.TryGetValue(key, out var entry) && IsFresh(entry))
        {
            entry.LastUsed = Stopwatch.GetTimestamp();
            answer = entry.Answer;
            return true;
        }

        answer = null;
        return false;
    }

    public async ValueTask<AgentAnswer> GetAsync(AgentRequest request, CancellationToken ct, (string Path, string Query)? target = null)
    {
        var caches = options.Caches(request.Kind);
        if (caches && !request.RefreshNow && target is { } t && _aliases.Count < 4 * options.CacheSize + 16)
        {
            _aliases[t] = request.Key;
        }

        if (caches && !request.RefreshNow && _entries.TryGetValue(request.Key, out var entry) && IsFresh(entry))
        {
            entry.LastUsed = Stopwatch.GetTimestamp();
            return entry.Answer;
        }

        return await SingleFlightAsync(request, caches).WaitAsync(ct);
    }

    private bool IsFresh(Entry entry) =>
        !entry.Invalidated && time.GetElapsedTime(entry.FetchedAt) < options.Ttl(entry.Request.Kind);

    /// <summary>One call per key at a time: a request that finds a call running waits for its answer.</summary>
    private Task<AgentAnswer> SingleFlightAsync(AgentRequest request, bool caches)
    {
        var mine = new TaskCompletionSource<AgentAnswer>(TaskCreationOptions.RunContinuationsAsynchronously);
        var running = _inflight.GetOrAdd(request.Key, mine.Task);
        if (running != mine.Task)
        {
            return running;
        }

        // The call that just ended may have stored what this request missed a moment ago.
        if (caches && !request.RefreshNow && _entries.TryGetValue(request.Key, out var entry) && IsFresh(entry))
        {
            _inflight.TryRemove(new KeyValuePair<string, Task<AgentAnswer>>(request.Key, mine.Task));
            mine.SetResult(entry.Answer);
            return mine.Task;
        }

        _ = FetchAsync(request, caches, mine);
        return mine.Task;
    }

    private async Task FetchAsync(AgentRequest request, bool caches, TaskCompletionSource<AgentAnswer> result)
    {
        try
        {
            var generation = Interlocked.Read(ref _generation);
            result.SetResult(await LoadAsync(request, caches, generation));
        }
        catch (Exception e)
        {
            result.SetException(e);
        }
        finally
        {
            _inflight.TryRemove(new KeyValuePair<string, Task<AgentAnswer>>(request.Key, result.Task));
        }
    }

    private async Task<AgentAnswer> LoadAsync(AgentRequest request, bool caches, long generation)
    {
        _entries.TryGetValue(request.Key, out var stale);
        UpstreamAnswer upstream;
        Interlocked.Increment(ref _calls);
        try
        {
            upstream = await client.CallAsync(request.Kind, request.Body(), CancellationToken.None);
        }
        catch (UpstreamUnavailableException e)
        {
            return StaleOr(request, stale, e.Message, AgentAnswer.Error(502, "ServiceUnavailable", "The agent could not reach Coffer: " + e.Message));
        }

        Log.Fetched(logger, request.Kind, request.Name, upstream.Status);
        if (upstream.Succeeded)
        {
            if (caches)
            {
                Store(request, upstream, generation);
            }

            return AgentAnswer.From(upstream);
        }

        if (upstream.Transient)
        {
            return StaleOr(request, stale, $"HTTP {upstream.Status}", AgentAnswer.From(upstream));
        }

        // Not found, access denied, a bad request: the cached answer no longer holds.
        Remove(request.Key);
        return AgentAnswer.From(upstream);
    }

    private AgentAnswer StaleOr(AgentRequest request, Entry? stale, string reason, AgentAnswer failure)
    {
        if (stale is not null && time.GetElapsedTime(stale.FetchedAt) < options.Ttl(request.Kind) + options.MaxStale)
        {
            Log.ServedStale(logger, request.Kind, request.Name, reason, (long)time.GetElapsedTime(stale.FetchedAt).TotalSeconds);
            return stale.Answer;
        }

        Log.Unavailable(logger, request.Kind, request.Name, reason);
        return failure;
    }
}
