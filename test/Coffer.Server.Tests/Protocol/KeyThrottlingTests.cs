using Amazon.KeyManagementService;
using Amazon.KeyManagementService.Model;
using Coffer.Server.Hosting;
using Coffer.Server.Tests.Infrastructure;

namespace Coffer.Server.Tests.Protocol;

/// <summary>A dev server that lets each access key make two requests a second (burst five), and any address many.</summary>
public sealed class KeyThrottledCofferFixture : CofferFixture
{
    protected override CofferServerOptions Configure(CofferServerOptions options) =>
        options with { Throttle = new ThrottleSettings { PerKeyRate = 2, PerKeyBurst = 5, FailuresBeforePenalty = 3 } };
}

/// <summary>Issue 8: the per-key bucket and the penalty for failing signatures apply to both wire formats, after authentication.</summary>
public sealed class KeyThrottlingTests(KeyThrottledCofferFixture fixture) : IClassFixture<KeyThrottledCofferFixture>
{
    [Fact]
    public async Task A_key_past_its_rate_gets_ThrottlingException_while_another_key_is_served()
    {
        using var kms = new AmazonKeyManagementServiceClient(fixture.Credentials(), new AmazonKeyManagementServiceConfig { ServiceURL = fixture.Endpoint, AuthenticationRegion = CofferFixture.Region, MaxErrorRetry = 0 });
        AmazonKeyManagementServiceException? throttled = null;
        for (var i = 0; i < 50 && throttled is null; i++)
        {
            try
            {
                await kms.ListKeysAsync(new ListKeysRequest());
            }
            catch (AmazonKeyManagementServiceException e)
            {
                throttled = e;
            }
        }

        Assert.NotNull(throttled);
        Assert.Equal(("ThrottlingException", 400), (throttled!.ErrorCode, (int)throttled.StatusCode));
    }

    [Fact]
    public async Task Repeated_signature_failures_slow_that_key_id_down()
    {
        using var forged = new AmazonKeyManagementServiceClient(fixture.Credentials(CofferFixture.AccessKeyId, "not-the-secret"), new AmazonKeyManagementServiceConfig { ServiceURL = fixture.Endpoint, AuthenticationRegion = CofferFixture.Region, MaxErrorRetry = 0 });
        var codes = new List<string>();
        for (var i = 0; i < 10; i++)
        {
            var e = await Assert.ThrowsAsync<AmazonKeyManagementServiceException>(() => forged.ListKeysAsync(new ListKeysRequest()));
            codes.Add(e.ErrorCode);
        }

        Assert.Equal("InvalidSignatureException", codes[0]);
        Assert.Contains("ThrottlingException", codes);
    }

    [Fact]
    public async Task Repeated_requests_naming_a_key_id_that_does_not_exist_slow_that_key_id_down()
    {
        // Each one costs a read of the store: once penalized, the request is refused before it.
        using var unknown = new AmazonKeyManagementServiceClient(fixture.Credentials("AKIAUNKNOWN" + Guid.NewGuid().ToString("N")[..9].ToUpperInvariant(), "whatever-secret"), new AmazonKeyManagementServiceConfig { ServiceURL = fixture.Endpoint, AuthenticationRegion = CofferFixture.Region, MaxErrorRetry = 0 });
        var codes = new List<string>();
        for (var i = 0; i < 10; i++)
        {
            var e = await Assert.ThrowsAsync<AmazonKeyManagementServiceException>(() => unknown.ListKeysAsync(new ListKeysRequest()));
            codes.Add(e.ErrorCode);
        }

        Assert.Equal("UnrecognizedClientException", codes[0]);
        Assert.Contains("ThrottlingException", codes);
    }
}
