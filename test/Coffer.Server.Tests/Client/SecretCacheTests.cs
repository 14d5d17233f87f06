using Amazon.SimpleSystemsManagement;
using Coffer.Client;
using Coffer.Server.Tests.Infrastructure;
using Coffer.Server.Tests.Ssm;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Coffer.Server.Tests.Client;

/// <summary>Coffer.Client's cache against a real server (issue 12): TTL, refresh by version,
/// LRU, stale-on-error with backoff, the hook, Try*, and the change stream.</summary>
public sealed class SecretCacheTests(CofferFixture fixture) : IClassFixture<CofferFixture>
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);

    private readonly LogCapture _logs = new();

    private SecretCache Cache(int size = 16, ISecretCacheHook? hook = null, bool subscribe = false) =>
        new(ClientKit.Options(fixture) with { LoggerFactory = LoggerFactory.Create(b => b.AddProvider(_logs).SetMinimumLevel(LogLevel.Debug)) }, new SecretCacheConfiguration { CacheItemTTL = TimeSpan.FromMinutes(1), MaxCacheSize = size, Time = _clock, CacheHook = hook, SubscribeToChanges = subscribe });

    [Fact]
    public async Task A_secret_is_served_from_memory_until_its_TTL_then_checked_with_DescribeSecret_and_fetched_only_when_its_version_changed()
    {
        var name = ClientKit.UniqueName("cache");
        await ClientKit.CreateSecretAsync(fixture, name, "first-value");
        await using var cache = Cache();

        Assert.Equal("first-value", await cache.GetSecretStringAsync(name));
        Assert.Equal((0, 1), cache.Calls);
        await ClientKit.PutSecretValueAsync(fixture, name, "second-value");
        Assert.Equal("first-value", await cache.GetSecretStringAsync(name));
        Assert.Equal((0, 1), cache.Calls);

        _clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal("second-value", await cache.GetSecretStringAsync(name));
        Assert.Equal((1, 2), cache.Calls);

        _clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal("second-value", await cache.GetSecretStringAsync(name));
        Assert.Equal((2, 2), cache.Calls);
    }

    [Fact]
    public async Task Past_MaxCacheSize_the_least_recently_read_item_is_evicted()
    {
        var (a, b, c) = (ClientKit.UniqueName("lru-a"), ClientKit.UniqueName("lru-b"), ClientKit.UniqueName("lru-c"));
        foreach (var name in new[] { a, b, c })
        {
            await ClientKit.CreateSecretAsync(fixture, name, "value-of-" + name);
        }

        await using var cache = Cache(size: 2);
        // Reads a second apart (well within the TTL): recency is kept to the millisecond.
        async Task ReadAsync(string name)
        {
            _clock.Advance(TimeSpan.FromSeconds(1));
            await cache.GetSecretStringAsync(name);
        }

        await ReadAsync(a);
        await ReadAsync(b);
        await ReadAsync(a);
        await ReadAsync(c);
        Assert.Equal(3, cache.Calls.ValueFetches);

        await ReadAsync(a);
        await ReadAsync(c);
        Assert.Equal(3, cache.Calls.ValueFetches);
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("value-of-" + b, await cache.GetSecretStringAsync(b));
        Assert.Equal(4, cache.Calls.ValueFetches);
    }

    [Fact]
    public async Task A_failed_refresh_serves_the_stale_value_and_waits_with_backoff_before_trying_again()
    {
        var name = ClientKit.UniqueName("stale");
        await ClientKit.CreateSecretAsync(fixture, name, "kept-value");
        await using var cache = Cache();
        Assert.Equal("kept-value", await cache.GetSecretStringAsync(name));
        await ClientKit.DeleteSecretAsync(fixture, name);

        _clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal("kept-value", await cache.GetSecretStringAsync(name));
        Assert.Equal(1, cache.Calls.DescribeSecret);
        Assert.Equal("kept-value", await cache.GetSecretStringAsync(name));
        Assert.Equal(1, cache.Calls.DescribeSecret);

        _clock.Advance(TimeSpan.FromSeconds(1.5));
        Assert.Equal("kept-value", await cache.GetSecretStringAsync(name));
        Assert.Equal(2, cache.Calls.DescribeSecret);
        _clock.Advance(TimeSpan.FromSeconds(1.5));
        Assert.Equal("kept-value", await cache.GetSecretStringAsync(name));
        Assert.Equal(2, cache.Calls.DescribeSecret);
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("kept-value", await cache.GetSecretStringAsync(name));
        Assert.Equal(3, cache.Calls.DescribeSecret);
        Assert.Equal(3, _logs.Lines.Count(l => l.Contains(name, StringComparison.Ordinal) && l.Contains("ResourceNotFoundException", StringComparison.Ordinal)));
        Assert.DoesNotContain(_logs.Lines, l => l.Contains("kept-value", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Try_methods_answer_expected_failures_with_the_error_code_and_the_others_throw_it()
    {
        await using var cache = Cache();

        var secret = await cache.TryGetSecretStringAsync("no-such-secret-" + Guid.NewGuid());
        var parameter = await cache.TryGetParameterAsync("/no/such/parameter/" + Guid.NewGuid().ToString("N"));

        Assert.False(secret.Found);
        Assert.Equal(CofferErrorCodes.ResourceNotFound, secret.ErrorCode);
        Assert.False(parameter.Found);
        Assert.Equal(CofferErrorCodes.ParameterNotFound, parameter.ErrorCode);
        var thrown = await Assert.ThrowsAsync<CofferClientException>(async () => await cache.GetSecretStringAsync("no-such-secret-" + Guid.NewGuid()));
        Assert.Equal(CofferErrorCodes.ResourceNotFound, thrown.ErrorCode);
    }

    [Fact]
    public async Task Parameters_are_cached_decrypted_and_the_hook_sees_what_is_stored_and_served()
    {
        var ssm = fixture.Ssm();
        var name = SsmTestKit.UniquePath() + "/db/password";
        await ssm.PutAsync(name, "parameter-secret", ParameterType.SecureString);
        var hook = new ReversingHook();
        await using var cache = Cache(hook: hook);

        Assert.Equal("parameter-secret", await cache.GetParameterAsync(name));
        Assert.Equal("parameter-secret", await cache.GetParameterAsync(name));
        Assert.Equal(1, cache.Calls.ValueFetches);
        Assert.Equal(["parameter-secret"], hook.Put);
        Assert.Equal(2, hook.Gets);
    }

    [Fact]
    public async Task With_the_change_stream_a_new_version_is_served_before_the_TTL_runs_out()
    {
        var name = ClientKit.UniqueName("stream");
        await ClientKit.CreateSecretAsync(fixture, name, "before-rotation");
        await using var cache = Cache(subscribe: true);
        Assert.Equal("before-rotation", await cache.GetSecretStringAsync(name));
        await ClientKit.EventuallyAsync(() => Task.FromResult(cache.ChangeStreamConnected), c => c);

        await ClientKit.PutSecretValueAsync(fixture, name, "after-rotation");

        Assert.Equal("after-rotation", await ClientKit.EventuallyAsync(async () => await cache.GetSecretStringAsync(name), v => v == "after-rotation"));
        Assert.Equal(2, cache.Calls.ValueFetches);
    }

    [Fact]
    public async Task A_change_made_while_the_change_stream_was_down_is_seen_once_it_reconnects()
    {
        var name = ClientKit.UniqueName("resume");
        await ClientKit.CreateSecretAsync(fixture, name, "before-outage");
        using var relay = new TcpRelay(new Uri(fixture.Endpoint));
        await using var cache = new SecretCache(
            ClientKit.Options(fixture) with { Endpoint = relay.Uri, LoggerFactory = LoggerFactory.Create(b => b.AddProvider(_logs).SetMinimumLevel(LogLevel.Debug)) },
            new SecretCacheConfiguration { CacheItemTTL = TimeSpan.FromMinutes(1), Time = _clock, SubscribeToChanges = true });
        await ClientKit.EventuallyAsync(() => Task.FromResult(cache.ChangeStreamConnected), c => c);
        Assert.Equal("before-outage", await cache.GetSecretStringAsync(name));

        // The clock never moves, so only the event can make the cache look again.
        relay.Cut();
        Assert.False(await ClientKit.EventuallyAsync(() => Task.FromResult(cache.ChangeStreamConnected), c => !c));
        await ClientKit.PutSecretValueAsync(fixture, name, "after-outage");
        relay.Restore();

        Assert.Equal("after-outage", await ClientKit.EventuallyAsync(async () => await cache.GetSecretStringAsync(name), v => v == "after-outage"));
        Assert.Contains(_logs.Lines, l => l.Contains("[3110]", StringComparison.Ordinal) && l.Contains("from after event", StringComparison.Ordinal));
    }

    private sealed class ReversingHook : ISecretCacheHook
    {
        public List<string> Put { get; } = [];

        public int Gets { get; private set; }

        object ISecretCacheHook.Put(object value)
        {
            Put.Add((string)value);
            return new string(((string)value).Reverse().ToArray());
        }

        public object Get(object cached)
        {
            Gets++;
            return new string(((string)cached).Reverse().ToArray());
        }
    }
}
