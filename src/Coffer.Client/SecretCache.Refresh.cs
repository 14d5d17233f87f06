using System.Collections.Concurrent;
using Amazon.Runtime;
using Amazon.SimpleSystemsManagement.Model;

namespace Coffer.Client;

public sealed partial class SecretCache
{
    /// <summary>The item, refreshed when its TTL ran out; one refresh at a time per item.</summary>
    private async Task<CacheItem> LoadAsync(ConcurrentDictionary<string, CacheItem> map, string id, bool isParameter, CancellationToken ct)
    {
        if (!map.TryGetValue(id, out var item))
        {
            item = map.GetOrAdd(id, static key => new CacheItem(key));
            item.LastAccess = Now();
            EvictIfFull();
        }

        item.LastAccess = Now();
        await item.Gate.WaitAsync(ct);
        try
        {
            var now = Now();
            if (now < Volatile.Read(ref item.ExpiresAt))
            {
                return item;
            }

            if (now < Volatile.Read(ref item.RetryAt))
            {
                return item.HasValue ? item : throw item.LastError!;
            }

            var generation = Volatile.Read(ref item.Generation);
            try
            {
                await (isParameter ? RefreshParameterAsync(item, ct) : RefreshSecretAsync(item, ct));
            }
            catch (Exception e) when (Failure(e) is { } failure)
            {
                item.Failures++;
                item.LastError = failure;
                var delay = _config.RetryDelay(item.Failures);
                Volatile.Write(ref item.RetryAt, now + Ticks(delay));
                if (!item.HasValue)
                {
                    throw failure;
                }

                Log.ServingStale(_logger, isParameter ? "parameter" : "secret", id, (failure as CofferClientException)?.ErrorCode ?? failure.GetType().Name, delay);
                return item;
            }

            item.Failures = 0;
            item.LastError = null;
            // A change notice that came while we fetched means what we hold may be older than it.
            Volatile.Write(ref item.ExpiresAt, generation == Volatile.Read(ref item.Generation) ? now + _ttl : 0);
            return item;
        }
        finally
        {
            item.Gate.Release();
        }
    }

    /// <summary>First time: GetSecretValue by stage. After: DescribeSecret, and GetSecretValue by VersionId only when the stage moved.</summary>
    private async Task RefreshSecretAsync(CacheItem item, CancellationToken ct)
    {
        var stage = _config.VersionStage;
        string? versionId = null;
        if (item.HasValue)
        {
            Interlocked.Increment(ref _describeCalls);
            var (arn, current) = await _secretsManager.DescribeSecretAsync(item.Id, stage, ct);
            item.Arn = arn;
            versionId = current ?? throw new CofferClientException(CofferErrorCodes.ResourceNotFound, 400, $"No version of the secret has the staging label {stage}.");
            if (versionId == item.VersionId)
            {
                return;
            }
        }

        Interlocked.Increment(ref _valueCalls);
        var value = await _secretsManager.GetSecretValueAsync(item.Id, versionId, versionId is null ? stage : null, ct);
        item.HeldString = In(value.SecretString);
        item.HeldBinary = In(value.SecretBinary);
        (item.Arn, item.Name, item.VersionId) = (value.Arn, value.Name, value.VersionId);
    }

    private async Task RefreshParameterAsync(CacheItem item, CancellationToken ct)
    {
        Interlocked.Increment(ref _valueCalls);
        var answer = await _ssm.Value.GetParameterAsync(new GetParameterRequest { Name = item.Id, WithDecryption = true }, ct);
        var p = answer.Parameter;
        item.HeldString = In(p.Value);
        (item.Arn, item.Name, item.VersionId) = (p.ARN, p.Name, (p.Version ?? 0).ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>A failure to hold on to (and serve stale over), as the exception to give callers; null for others (cancellation).</summary>
    private static Exception? Failure(Exception e) => e switch
    {
        CofferClientException => e,
        AmazonServiceException s => new CofferClientException(s.ErrorCode ?? "Unknown", (int)s.StatusCode, s.Message, s),
        HttpRequestException or TimeoutException or IOException => e,
        TaskCanceledException t when t.InnerException is TimeoutException => e,
        _ => null,
    };

    /// <summary>Past the size limit, the least recently read item goes (a scan: only misses pay for it).</summary>
    private void EvictIfFull()
    {
        if (_secrets.Count + _parameters.Count <= _config.MaxCacheSize)
        {
            return;
        }

        lock (_evictLock)
        {
            while (_secrets.Count + _parameters.Count > _config.MaxCacheSize)
            {
                var (map, victim) = (_secrets, (CacheItem?)null);
                foreach (var (candidateMap, candidate) in _secrets.Values.Select(i => (_secrets, i)).Concat(_parameters.Values.Select(i => (_parameters, i))))
                {
                    if (victim is null || candidate.LastAccess < victim.LastAccess)
                    {
                        (map, victim) = (candidateMap, candidate);
                    }
                }

                if (victim is null || !map.TryRemove(victim.Id, out _))
                {
                    return;
                }

                Log.Evicted(_logger, map == _parameters ? "parameter" : "secret", victim.Id, _config.MaxCacheSize);
            }
        }
    }

    /// <summary>A change notice from the stream: the items it names are checked again on their next read.</summary>
    private void OnChange(ChangeNotice notice)
    {
        var map = notice.Source switch
        {
            ChangeNotice.SecretsManager => _secrets,
            ChangeNotice.ParameterStore => _parameters,
            _ => null,
        };
        if (map is null)
        {
            return;
        }

        foreach (var item in map.Values)
        {
            if (notice.Identifiers.Count == 0 || item.Matches(notice.Identifiers))
            {
                item.Expire();
                Log.Invalidated(_logger, notice.Source, item.Id);
            }
        }
    }
}
