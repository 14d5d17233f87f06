using Amazon.KeyManagementService;
using Amazon.KeyManagementService.Model;
using Amazon.Runtime;
using Coffer.Server.Hosting;
using Coffer.Server.Tests.Infrastructure;

namespace Coffer.Server.Tests.Protocol;

/// <summary>A dev server that lets one address make two requests a second, with a burst of five.</summary>
public sealed class ThrottledCofferFixture : CofferFixture
{
    protected override CofferServerOptions Configure(CofferServerOptions options) =>
        options with { Throttle = new ThrottleSettings { PerAddressRate = 2, PerAddressBurst = 5 } };
}

/// <summary>
/// Issue 8: a throttled call gets AWS's throttling error (400, <c>ThrottlingException</c> for the
/// JSON services, <c>Throttling</c> for the query protocol), so the SDKs back off and retry.
/// </summary>
public sealed class ThrottlingTests(ThrottledCofferFixture fixture) : IClassFixture<ThrottledCofferFixture>
{
    [Fact]
    public async Task Without_retries_the_sdk_gets_ThrottlingException_with_status_400()
    {
        var error = await ExhaustAsync();
        Assert.Equal("ThrottlingException", error.ErrorCode);
        Assert.Equal(400, (int)error.StatusCode);
        Assert.Equal(Throttle.Message, error.Message);
    }

    [Fact]
    public async Task With_retries_the_sdk_backs_off_and_succeeds()
    {
        await ExhaustAsync();
        using var patient = new AmazonKeyManagementServiceClient(fixture.Credentials(), new AmazonKeyManagementServiceConfig
        {
            ServiceURL = fixture.Endpoint,
            AuthenticationRegion = CofferFixture.Region,
            RetryMode = RequestRetryMode.Standard,
            MaxErrorRetry = 20,
        });
        var keys = await patient.ListKeysAsync(new ListKeysRequest());
        Assert.NotNull(keys.Keys);
    }

    [Fact]
    public async Task Boto3_sees_ThrottlingException_from_kms_and_Throttling_from_sts()
    {
        const string script = """
            import boto3, botocore.config, botocore.exceptions, os
            config = botocore.config.Config(retries={"total_max_attempts": 1})
            def code_after_flood(call):
                for _ in range(40):
                    try:
                        call()
                    except botocore.exceptions.ClientError as e:
                        return e.response["Error"]["Code"], e.response["ResponseMetadata"]["HTTPStatusCode"]
                return None, None
            kms = boto3.client("kms", config=config, endpoint_url=os.environ["COFFER_ENDPOINT"])
            sts = boto3.client("sts", config=config, endpoint_url=os.environ["COFFER_ENDPOINT"])
            print("kms", *code_after_flood(kms.list_keys))
            print("sts", *code_after_flood(sts.get_caller_identity))
            """;
        var (exit, output) = await ExternalClient.RunAsync("/usr/bin/python3", ["-c", script], ExternalClient.AwsEnvironment(fixture));
        Assert.True(exit == 0, output);
        Assert.Contains("kms ThrottlingException 400", output, StringComparison.Ordinal);
        Assert.Contains("sts Throttling 400", output, StringComparison.Ordinal);
    }

    /// <summary>Calls until throttled; at two a second after a burst of five, forty calls get there.</summary>
    private async Task<AmazonKeyManagementServiceException> ExhaustAsync()
    {
        using var kms = fixture.Kms();
        for (var i = 0; i < 40; i++)
        {
            try
            {
                await kms.ListKeysAsync(new ListKeysRequest());
            }
            catch (AmazonKeyManagementServiceException e) when (e.ErrorCode == "ThrottlingException")
            {
                return e;
            }
        }

        throw new InvalidOperationException("40 calls were never throttled.");
    }
}
