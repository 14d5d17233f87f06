using System.Net;
using Coffer.Server.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;

namespace Coffer.Server.Tests.Security;

/// <summary>The throttle's token buckets and signature-failure penalty (issue 8), on a fake clock.</summary>
public sealed class ThrottleTests
{
    private readonly FakeTimeProvider _clock = new();

    [Fact]
    public void An_address_gets_its_burst_then_tokens_at_the_configured_rate()
    {
        var throttle = new Throttle(new ThrottleSettings { PerAddressRate = 2, PerAddressBurst = 3 }, _clock);
        var address = IPAddress.Parse("192.0.2.7");

        Assert.All(Enumerable.Range(0, 3), _ => Assert.True(throttle.TryAcquireAddress(address)));
        Assert.False(throttle.TryAcquireAddress(address));
        Assert.True(throttle.TryAcquireAddress(IPAddress.Parse("192.0.2.8")));

        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True(throttle.TryAcquireAddress(address));
        Assert.True(throttle.TryAcquireAddress(address));
        Assert.False(throttle.TryAcquireAddress(address));

        // The IPv4-mapped IPv6 form is the same address.
        Assert.False(throttle.TryAcquireAddress(address.MapToIPv6()));
    }

    [Fact]
    public void The_addresses_of_one_ipv6_64_share_a_bucket()
    {
        var throttle = new Throttle(new ThrottleSettings { PerAddressRate = 1, PerAddressBurst = 2 }, _clock);
        Assert.True(throttle.TryAcquireAddress(IPAddress.Parse("2001:db8:1:2::1")));
        Assert.True(throttle.TryAcquireAddress(IPAddress.Parse("2001:db8:1:2:ffff::9")));
        Assert.False(throttle.TryAcquireAddress(IPAddress.Parse("2001:db8:1:2:abcd:1:2:3")));
        Assert.True(throttle.TryAcquireAddress(IPAddress.Parse("2001:db8:1:3::1")));
    }

    [Fact]
    public void Each_access_key_has_its_own_bucket_and_a_rate_of_zero_turns_a_limit_off()
    {
        var throttle = new Throttle(new ThrottleSettings { PerKeyRate = 1, PerKeyBurst = 2, PerAddressRate = 0 }, _clock);
        Assert.True(throttle.TryAcquire("AKIAONE"));
        Assert.True(throttle.TryAcquire("AKIAONE"));
        Assert.False(throttle.TryAcquire("AKIAONE"));
        Assert.True(throttle.TryAcquire("AKIATWO"));
        Assert.All(Enumerable.Range(0, 100), _ => Assert.True(throttle.TryAcquireAddress(IPAddress.Loopback)));
    }

    [Fact]
    public void The_default_rates_never_throttle_the_benchmarks_hot_reads()
    {
        // Twice the load benchmark's best (about 10,000 a second, one key, one address), for 10 s.
        var throttle = new Throttle(ThrottleSettings.Default, _clock);
        for (var i = 0; i < 200_000; i++)
        {
            Assert.True(throttle.TryAcquire("AKIABENCHBENCHBENCH0") && throttle.TryAcquireAddress(IPAddress.Loopback), $"throttled at request {i}");
            _clock.Advance(TimeSpan.FromTicks(TimeSpan.TicksPerSecond / 20_000));
        }
    }

    [Fact]
    public void Repeated_signature_failures_limit_that_key_id_to_one_request_a_second_for_a_minute()
    {
        var throttle = new Throttle(ThrottleSettings.Default, _clock);
        var victim = Signed("AKIAGUESSED");
        for (var i = 0; i < 9; i++)
        {
            throttle.SignatureFailed(victim);
        }

        Assert.True(throttle.TryAcquireClaimedKey(victim));
        throttle.SignatureFailed(victim);
        Assert.False(throttle.TryAcquireClaimedKey(victim));
        Assert.True(throttle.TryAcquireClaimedKey(Signed("AKIAOTHER")));
        Assert.True(throttle.TryAcquireClaimedKey(new DefaultHttpContext().Request));

        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True(throttle.TryAcquireClaimedKey(victim));
        Assert.False(throttle.TryAcquireClaimedKey(victim));

        _clock.Advance(TimeSpan.FromMinutes(1));
        Assert.All(Enumerable.Range(0, 10), _ => Assert.True(throttle.TryAcquireClaimedKey(victim)));
    }

    [Fact]
    public void Failures_sent_from_one_address_do_not_slow_the_key_down_from_another()
    {
        // Access key ids are not secret: someone who knows one must not be able to lock its owner out.
        var throttle = new Throttle(ThrottleSettings.Default, _clock);
        var attacker = Signed("AKIAVICTIM", IPAddress.Parse("198.51.100.7"));
        for (var i = 0; i < 50; i++)
        {
            throttle.SignatureFailed(attacker);
        }

        Assert.False(throttle.TryAcquireClaimedKey(attacker));
        Assert.All(Enumerable.Range(0, 10), _ => Assert.True(throttle.TryAcquireClaimedKey(Signed("AKIAVICTIM", IPAddress.Parse("203.0.113.9")))));
    }

    [Fact]
    public void Failures_spread_over_more_than_the_window_do_not_add_up()
    {
        var throttle = new Throttle(ThrottleSettings.Default, _clock);
        var request = Signed("AKIASLOWTYPIST");
        for (var i = 0; i < 20; i++)
        {
            throttle.SignatureFailed(request);
            _clock.Advance(TimeSpan.FromSeconds(7));
        }

        Assert.True(throttle.TryAcquireClaimedKey(request));
    }

    [Theory]
    [InlineData("AWS4-HMAC-SHA256 Credential=AKIAEXAMPLE/20260101/us-east-1/kms/aws4_request, SignedHeaders=host, Signature=00", null, "AKIAEXAMPLE")]
    [InlineData(null, "?X-Amz-Credential=ASIAPRESIGNED%2F20260101%2Fus-east-1%2Fsts%2Faws4_request", "ASIAPRESIGNED")]
    [InlineData("Bearer nothing", null, null)]
    public void The_claimed_key_id_comes_from_the_header_or_the_presigned_query(string? authorization, string? query, string? expected)
    {
        var request = new DefaultHttpContext().Request;
        if (authorization is not null)
        {
            request.Headers.Authorization = authorization;
        }

        if (query is not null)
        {
            request.QueryString = new QueryString(query);
        }

        Assert.Equal(expected, Throttle.ClaimedAccessKeyId(request));
    }

    private static HttpRequest Signed(string accessKeyId, IPAddress? from = null)
    {
        var request = new DefaultHttpContext().Request;
        request.HttpContext.Connection.RemoteIpAddress = from ?? IPAddress.Loopback;
        request.Headers.Authorization = $"AWS4-HMAC-SHA256 Credential={accessKeyId}/20260101/us-east-1/kms/aws4_request, SignedHeaders=host, Signature=00";
        return request;
    }
}
