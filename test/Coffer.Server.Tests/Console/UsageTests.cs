using System.Net;
using System.Net.Sockets;
using System.Text.Json;
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

    [Fact]
    public async Task Coffer_usage_prices_only_the_customers_calls_and_shows_a_rotations_own_records_apart()
    {
        // Issue 15: a rotation's records (RotationStarted, a step, RotationFailed) are Coffer's own
        // work, written as the service; AWS bills none of them, so they must not count as calls.
        await fixture.ResetAsync();
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var closedPort = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        using var registered = JsonDocument.Parse(await SecretsKit.CofferAsync(fixture, "functions", "register", "usage-unreachable", "--url", $"http://127.0.0.1:{closedPort}/", "--timeout", "5"));
        await SecretsKit.AwsAsync(fixture, "create-secret", "--name", "usage/rotated", "--secret-string", "initial");
        await SecretsKit.AwsAsync(fixture, "rotate-secret", "--secret-id", "usage/rotated", "--rotation-lambda-arn", registered.RootElement.GetProperty("FunctionArn").GetString()!);
        await fixture.Server.Services.Secrets.WhenIdleAsync();
        Assert.Contains((await SecretsKit.RotationRecordsAsync(fixture, (await fixture.Server.Services.Store.ReadAsync((s, ct) => s.Secrets.FindByNameAsync(CofferFixture.AccountId, CofferFixture.Region, "usage/rotated", ct)))!.Arn)),
            r => r.GetProperty("eventName").GetString() == "RotationFailed");

        var output = await SecretsKit.CofferAsync(fixture, "usage", "--since", "1d");
        var (customer, own) = SplitAt(output, "Coffer's own work");
        Assert.Matches(@"secretsmanager\s+CreateSecret\s+1\b", customer);
        Assert.Matches(@"secretsmanager\s+RotateSecret\s+1\b", customer);
        Assert.DoesNotContain("Rotation", customer.Split("The same use on AWS")[0], StringComparison.Ordinal);
        Assert.Matches(@"Secrets Manager\s+2 calls", output);
        Assert.Matches(@"secretsmanager\s+RotationStarted\s+1\b", own);
        Assert.Matches(@"secretsmanager\s+RotationFailed\s+1\b", own);
    }

    private static (string Before, string After) SplitAt(string text, string marker)
    {
        var at = text.IndexOf(marker, StringComparison.Ordinal);
        Assert.True(at >= 0, $"'{marker}' is not in:\n{text}");
        var end = text.IndexOf("The same use on AWS", at, StringComparison.Ordinal);
        return (text[..at] + text[end..], text[at..end]);
    }
}
