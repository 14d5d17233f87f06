using System.Collections.Concurrent;
using Amazon.SimpleSystemsManagement;
using Microsoft.Extensions.Logging;

namespace Coffer.Client;

/// <summary>
/// A cache of secrets (Secrets Manager) and parameters (Parameter Store, decrypted), in the manner
/// of AWS's Secrets Manager caching client: items are served from memory for
/// <see cref="SecretCacheConfiguration.CacheItemTTL"/>; then DescribeSecret tells whether the
/// version under the stage changed, and only then is the value fetched again (by VersionId). A
/// failed refresh serves the value held (stale-on-error) and waits with exponential backoff before
/// trying again. With <see cref="SecretCacheConfiguration.SubscribeToChanges"/>, Coffer's change
/// stream marks a changed item for refresh at once. A cache hit takes no lock and allocates nothing.
/// </summary>
public sealed partial class SecretCache : IDisposable, IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, CacheItem> _secrets = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, CacheItem> _parameters = new(StringComparer.Ordinal);
    private readonly SecretCacheConfiguration _config;
    private readonly TimeProvider _time;
    private readonly bool _systemClock;
    private readonly long _ttl;
    private readonly AwsWire _wire;
    private readonly SecretsManagerCalls _secretsManager;
    private readonly Lazy<AmazonSimpleSystemsManagementClient> _ssm;
    private readonly ChangeFeed? _feed;
    private readonly ILogger _logger;
    private readonly Lock _evictLock = new();
    private long _describeCalls;
    private long _valueCalls;

    public SecretCache(CofferClientOptions? options = null, SecretCacheConfiguration? configuration = null)
    {
        options ??= CofferClientOptions.Default;
        _config = configuration ?? SecretCacheConfiguration.Default;
        ArgumentOutOfRangeException.ThrowIfLessThan(_config.MaxCacheSize, 1);
        _time = _config.Time;
        _systemClock = ReferenceEquals(_time, TimeProvider.System);
        _ttl = Ticks(_config.CacheItemTTL);
        _logger = options.LoggerFactory.CreateLogger<SecretCache>();
        _wire = new AwsWire(options);
        _secretsManager = new SecretsManagerCalls(_wire);
        _ssm = new Lazy<AmazonSimpleSystemsManagementClient>(options.CreateSsm);
        if (_config.SubscribeToChanges)
        {
            _feed = new ChangeFeed(_wire, _logger, OnChange);
            _feed.Start();
        }
    }

    /// <summary>Calls made to the service so far: DescribeSecret, and value fetches (GetSecretValue, GetParameter).</summary>
    public (long DescribeSecret, long ValueFetches) Calls => (Interlocked.Read(ref _describeCalls), Interlocked.Read(ref _valueCalls));

    /// <summary>Whether the change stream is connected (false when not subscribed, or while it reconnects).</summary>
    public bool ChangeStreamConnected => _feed?.IsConnected ?? false;

    /// <summary>The secret's string under the configured stage (null for a binary secret).</summary>
    public ValueTask<string?> GetSecretStringAsync(string secretId, CancellationToken ct = default) =>
        _secrets.TryGetValue(secretId, out var item) && IsFresh(item)
            ? new ValueTask<string?>(Out<string>(item.HeldString))
            : SecretStringSlowAsync(secretId, ct);

    /// <summary>The secret's binary under the configured stage (null for a string secret).</summary>
    public async ValueTask<byte[]?> GetSecretBinaryAsync(string secretId, CancellationToken ct = default)
    {
        var item = await LoadAsync(_secrets, secretId, isParameter: false, ct);
        return Out<byte[]>(item.HeldBinary);
    }

    /// <summary>A parameter's value, SecureStrings decrypted.</summary>
    public ValueTask<string> GetParameterAsync(string name, CancellationToken ct = default) =>
        _parameters.TryGetValue(name, out var item) && IsFresh(item)
            ? new ValueTask<string>(Out<string>(item.HeldString)!)
            : ParameterSlowAsync(name, ct);

    /// <summary>As <see cref="GetSecretStringAsync"/>, but an expected failure (not found, denied) is a result, not an exception.</summary>
    public async ValueTask<CacheLookup<string?>> TryGetSecretStringAsync(string secretId, CancellationToken ct = default)
    {
        try
        {
            return CacheLookup<string?>.Hit(await GetSecretStringAsync(secretId, ct));
        }
        catch (CofferClientException e) when (e.IsExpected)
        {
            return CacheLookup<string?>.Miss(e.ErrorCode);
        }
    }

    /// <summary>As <see cref="GetParameterAsync"/>, but an expected failure (not found, denied) is a result, not an exception.</summary>
    public async ValueTask<CacheLookup<string>> TryGetParameterAsync(string name, CancellationToken ct = default)
    {
        try
        {
            return CacheLookup<string>.Hit(await GetParameterAsync(name, ct));
        }
        catch (CofferClientException e) when (e.IsExpected)
        {
            return CacheLookup<string>.Miss(e.ErrorCode);
        }
    }

    /// <summary>Checks the secret now (DescribeSecret, then the value if its version changed); false when that failed.</summary>
    public async Task<bool> RefreshNowAsync(string secretId, CancellationToken ct = default)
    {
        var item = _secrets.GetOrAdd(secretId, static id => new CacheItem(id));
        item.Expire();
        await LoadAsync(_secrets, secretId, isParameter: false, ct);
        return item.Failures == 0;
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    public async ValueTask DisposeAsync()
    {
        if (_feed is not null)
        {
            await _feed.DisposeAsync();
        }

        _wire.Dispose();
        if (_ssm.IsValueCreated)
        {
            _ssm.Value.Dispose();
        }
    }

    private bool IsFresh(CacheItem item)
    {
        var now = Now();
        if (now >= Volatile.Read(ref item.ExpiresAt))
        {
            return false;
        }

        // A plain store, and only when the millisecond moved: hits on one item from many threads
        // do not fight over its cache line. Ties within a millisecond do not matter to LRU.
        if (item.LastAccess != now)
        {
            item.LastAccess = now;
        }

        return true;
    }

    /// <summary>Milliseconds of the cache's clock: the system's cheap monotonic tick count, or the configured provider's.</summary>
    private long Now() => _systemClock ? Environment.TickCount64 : _time.GetTimestamp() / (_time.TimestampFrequency / 1000);

    private T? Out<T>(object? held)
        where T : class => (_config.CacheHook is { } hook && held is not null ? hook.Get(held) : held) as T;

    private object? In(object? value) => _config.CacheHook is { } hook && value is not null ? hook.Put(value) : value;

    private static long Ticks(TimeSpan span) => (long)span.TotalMilliseconds;

    private async ValueTask<string?> SecretStringSlowAsync(string secretId, CancellationToken ct) =>
        Out<string>((await LoadAsync(_secrets, secretId, isParameter: false, ct)).HeldString);

    private async ValueTask<string> ParameterSlowAsync(string name, CancellationToken ct) =>
        Out<string>((await LoadAsync(_parameters, name, isParameter: true, ct)).HeldString)!;
}

/// <summary>The outcome of a <c>Try*</c> read: the value, or AWS's error code of an expected failure.</summary>
public readonly record struct CacheLookup<T>(bool Found, T? Value, string? ErrorCode)
{
    internal static CacheLookup<T> Hit(T value) => new(true, value, null);

    internal static CacheLookup<T> Miss(string errorCode) => new(false, default, errorCode);

    /// <summary>No value in it: lookups get printed.</summary>
    public override string ToString() => Found ? "Found" : $"Not found ({ErrorCode})";
}
