namespace Coffer.Client;

/// <summary>
/// How <see cref="SecretCache"/> behaves, after AWS's Secrets Manager caching client: the same
/// settings with the same defaults (a TTL of one hour, 1,024 items, AWSCURRENT, backoff from one
/// second doubling up to an hour), plus Coffer's change events.
/// </summary>
public sealed record SecretCacheConfiguration
{
    /// <summary>The defaults.</summary>
    public static SecretCacheConfiguration Default { get; } = new();

    /// <summary>How long an item is served before the cache checks it again (default one hour).</summary>
    public TimeSpan CacheItemTTL { get; init; } = TimeSpan.FromHours(1);

    /// <summary>How many secrets and parameters the cache holds; past it, the least recently used goes (default 1,024).</summary>
    public int MaxCacheSize { get; init; } = 1024;

    /// <summary>The staging label of the secret version served (default AWSCURRENT).</summary>
    public string VersionStage { get; init; } = "AWSCURRENT";

    /// <summary>Sees every value put into the cache and every value read from it (to encrypt or transform values held in memory).</summary>
    public ISecretCacheHook? CacheHook { get; init; }

    /// <summary>The first wait after a failed refresh (default one second).</summary>
    public TimeSpan ExceptionRetryDelayBase { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How much each further failure multiplies the wait (default 2).</summary>
    public double ExceptionRetryGrowthFactor { get; init; } = 2;

    /// <summary>The longest wait between tries after failures (default one hour).</summary>
    public TimeSpan ExceptionRetryDelayMax { get; init; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Subscribe to Coffer's change stream, so a changed secret or parameter is fetched again on
    /// its next read, within about a second of the change, not after the TTL (default false: AWS has no such stream).
    /// </summary>
    public bool SubscribeToChanges { get; init; }

    /// <summary>The clock (tests move a fake one).</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    internal TimeSpan RetryDelay(int failures)
    {
        var seconds = ExceptionRetryDelayBase.TotalSeconds * Math.Pow(ExceptionRetryGrowthFactor, Math.Max(0, failures - 1));
        return seconds >= ExceptionRetryDelayMax.TotalSeconds ? ExceptionRetryDelayMax : TimeSpan.FromSeconds(seconds);
    }
}

/// <summary>A hook on what the cache stores and serves, as in AWS's caching client.</summary>
public interface ISecretCacheHook
{
    /// <summary>Called with a value about to be cached; returns what to hold instead.</summary>
    object Put(object value);

    /// <summary>Called with what is held; returns the value to hand to the caller.</summary>
    object Get(object cached);
}
