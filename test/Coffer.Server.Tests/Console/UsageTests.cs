using Amazon.SimpleSystemsManagement;
using Coffer.Server.Tests.Infrastructure;
using Coffer.Server.Tests.Secrets;

namespace Coffer.Server.Tests.Console;

/// <summary><c>coffer usage</c> (issue 15): calls counted from the audit trail, and what they would cost on AWS.</summary>
public sealed class UsageTests(CofferFixture fixture) : IClassFixture<CofferFixture>
{
    [Fact]
    public async Task Coffer_usage_counts_calls_per_operation_and_prices_the_billed_resources()
    {
        await fixture.ResetAsync();
        using var ssm = new AmazonSimpleSystemsManagementClient(fixture.Credentials(), new AmazonSimpleSystemsManagementConfig { ServiceURL = fixture.Endpoint, AuthenticationRegion = CofferFixture.Region, MaxErrorRetry = 0 });
        await ssm.PutParameterAsync(new() { Name = "/usage/advanced", Value = "v", Type = ParameterType.String, Tier = ParameterTier.Advanced });
        for (var i = 0; i < 3; i++)
        {
            await ssm.GetParameterAsync(new() { Name = "/usage/advanced" });
        }

        var output = await SecretsKit.CofferAsync(fixture, "usage", "--since", "1d");
        Assert.Matches(@"ssm\s+GetParameter\s+3\b", output);
        Assert.Matches(@"ssm\s+PutParameter\s+1\b", output);
        Assert.Contains("1 × advanced parameter $0.00", output, StringComparison.Ordinal); // one day of $0.05 a month
        Assert.Contains("Total", output, StringComparison.Ordinal);
    }
}
