using System.Globalization;
using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using Coffer.Core;
using Coffer.Core.Identity;
using Coffer.Core.Parameters;
using Coffer.Server.Tests.Infrastructure;

namespace Coffer.Server.Tests.Ssm;

/// <summary>
/// Parameter policies carried out by the scheduler on a fake clock. The SDK signs with the real
/// clock, so each test puts its parameter through the SDK first, then moves the server's clock
/// forward (days, well past SigV4's skew window) and looks at the outcome in the server's state.
/// One class per test: each needs its own clock.
/// </summary>
public abstract class PolicyTestBase(FakeClockCofferFixture fixture)
{
    protected FakeClockCofferFixture Fixture { get; } = fixture;

    protected AmazonSimpleSystemsManagementClient Ssm { get; } = fixture.Ssm();

    protected Task PutWithPoliciesAsync(string name, string policies) =>
        Ssm.PutParameterAsync(new PutParameterRequest { Name = name, Value = "v", Type = ParameterType.SecureString, Tier = ParameterTier.Advanced, Policies = policies });

    protected async Task<int> RunDueWorkAsync(TimeSpan advance)
    {
        Fixture.Clock!.Advance(advance);
        return await Fixture.Server.Services.RunDueWorkAsync(CancellationToken.None);
    }

    protected Core.Parameters.Parameter? Stored(string name) =>
        Fixture.Server.Services.Store.Read(s => s.Parameters.Find(CofferFixture.AccountId, CofferFixture.Region, name));

    protected List<Core.Events.CofferEvent> PolicyActions(string name) =>
        [.. Fixture.Events().Select(e => e.Event).Where(e => e.DetailType == "Parameter Store Policy Action" && (string?)e.Detail["parameter-name"] == name)];

    /// <summary>The account's root, calling the domain service directly once the clock is past what SigV4 accepts.</summary>
    protected Call RootCall(string operation) => new(
        new Principal(PrincipalType.Root, CofferFixture.AccountId, $"arn:aws:iam::{CofferFixture.AccountId}:root", CofferFixture.AccountId, CofferFixture.AccessKeyId),
        CofferFixture.Region, "ssm.amazonaws.com", operation, RequestOrigin.Internal(Guid.NewGuid().ToString(), Fixture.Clock!.GetUtcNow()));

    protected static string Iso(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
}

public sealed class ExpirationPolicyTests(FakeClockCofferFixture fixture) : PolicyTestBase(fixture), IClassFixture<FakeClockCofferFixture>
{
    [Fact]
    public async Task An_expiration_deletes_the_parameter_when_due_after_notifying_before_it()
    {
        var name = SsmTestKit.UniquePath() + "/expiring";
        var expires = Fixture.Clock!.GetUtcNow().AddDays(10);
        await PutWithPoliciesAsync(name, $$$"""
            [{"Type":"Expiration","Version":"1.0","Attributes":{"Timestamp":"{{{Iso(expires)}}}"}},
             {"Type":"ExpirationNotification","Version":"1.0","Attributes":{"Before":"2","Unit":"Days"}}]
            """);
        var described = Assert.Single((await Ssm.DescribeParametersAsync(new DescribeParametersRequest { ParameterFilters = [new() { Key = "Name", Values = [name] }] })).Parameters);
        Assert.Equal(["Pending", "Pending"], described.Policies.Select(p => p.PolicyStatus));

        Assert.Equal(0, await RunDueWorkAsync(TimeSpan.FromDays(7)));
        Assert.Equal(1, await RunDueWorkAsync(TimeSpan.FromDays(1.5)));
        Assert.Equal(["Pending", "Finished"], Stored(name)!.Current.Policies.Select(p => p.Status));

        Assert.Equal(1, await RunDueWorkAsync(TimeSpan.FromDays(2)));
        Assert.Null(Stored(name));
        Assert.Equal(["ExpirationNotification", "Expiration"], PolicyActions(name).Select(a => (string?)a.Detail["policy-type"]));
        Assert.Contains(Fixture.Events(), e => e.Event.DetailType == "Parameter Store Change" && (string?)e.Event.Detail["name"] == name && (string?)e.Event.Detail["operation"] == "Delete");
        Assert.Equal(0, await RunDueWorkAsync(TimeSpan.FromDays(1)));
    }
}

public sealed class NoChangePolicyTests(FakeClockCofferFixture fixture) : PolicyTestBase(fixture), IClassFixture<FakeClockCofferFixture>
{
    [Fact]
    public async Task A_no_change_notification_fires_once_after_the_quiet_period_and_a_change_restarts_it()
    {
        var name = SsmTestKit.UniquePath() + "/stale";
        await PutWithPoliciesAsync(name, """[{"Type":"NoChangeNotification","Version":"1.0","Attributes":{"After":"3","Unit":"Hours"}}]""");

        Assert.Equal(0, await RunDueWorkAsync(TimeSpan.FromHours(2)));
        Assert.Equal(1, await RunDueWorkAsync(TimeSpan.FromHours(2)));
        Assert.Equal(0, await RunDueWorkAsync(TimeSpan.FromHours(5)));
        await Fixture.Server.Services.Parameters.PutParameterAsync(RootCall("PutParameter"), new PutParameterInput { Name = name, Value = "changed", Overwrite = true }, CancellationToken.None);
        Assert.Equal("Pending", Assert.Single(Stored(name)!.Current.Policies).Status);
        Assert.Equal(1, await RunDueWorkAsync(TimeSpan.FromHours(4)));

        Assert.Equal(2, PolicyActions(name).Count);
        Assert.Equal(2, Stored(name)!.Current.Version);
    }
}
