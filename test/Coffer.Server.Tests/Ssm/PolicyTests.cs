using System.Globalization;
using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using Coffer.Server.Tests.Infrastructure;

namespace Coffer.Server.Tests.Ssm;

/// <summary>Parameter policies carried out by the scheduler, on a fake clock moved forward between calls.</summary>
public sealed class PolicyTests(FakeClockCofferFixture fixture) : IClassFixture<FakeClockCofferFixture>
{
    private readonly AmazonSimpleSystemsManagementClient _ssm = fixture.Ssm();

    [Fact]
    public async Task An_expiration_deletes_the_parameter_when_due_after_notifying_before_it()
    {
        var name = SsmTestKit.UniquePath() + "/expiring";
        var expires = fixture.Clock!.GetUtcNow().AddDays(10);
        await PutWithPoliciesAsync(name, $$$"""
            [{"Type":"Expiration","Version":"1.0","Attributes":{"Timestamp":"{{{Iso(expires)}}}"}},
             {"Type":"ExpirationNotification","Version":"1.0","Attributes":{"Before":"2","Unit":"Days"}}]
            """);
        Assert.Equal(["Pending", "Pending"], await StatusesAsync(name));

        Assert.Equal(0, await RunDueWorkAsync(TimeSpan.FromDays(7)));
        Assert.Equal(1, await RunDueWorkAsync(TimeSpan.FromDays(1.5)));
        Assert.Equal(["Pending", "Finished"], await StatusesAsync(name));
        Assert.Equal("v", (await _ssm.GetAsync(name)).Value);

        Assert.Equal(1, await RunDueWorkAsync(TimeSpan.FromDays(2)));
        await Assert.ThrowsAsync<ParameterNotFoundException>(() => _ssm.GetAsync(name));
        Assert.Equal(["ExpirationNotification", "Expiration"], (await PolicyActionsAsync(name)).Select(a => (string?)a.Detail["policy-type"]));
        Assert.Contains((await fixture.EventsAsync()), e => e.Event.DetailType == "Parameter Store Change" && (string?)e.Event.Detail["name"] == name && (string?)e.Event.Detail["operation"] == "Delete");
    }

    [Fact]
    public async Task A_no_change_notification_fires_once_after_the_quiet_period_and_a_change_restarts_it()
    {
        var name = SsmTestKit.UniquePath() + "/stale";
        await PutWithPoliciesAsync(name, """[{"Type":"NoChangeNotification","Version":"1.0","Attributes":{"After":"3","Unit":"Hours"}}]""");

        Assert.Equal(0, await RunDueWorkAsync(TimeSpan.FromHours(2)));
        Assert.Equal(1, await RunDueWorkAsync(TimeSpan.FromHours(2)));
        Assert.Equal(["Finished"], await StatusesAsync(name));
        Assert.Equal(0, await RunDueWorkAsync(TimeSpan.FromHours(5)));
        await _ssm.PutAsync(name, "changed", overwrite: true);
        Assert.Equal(["Pending"], await StatusesAsync(name));
        Assert.Equal(1, await RunDueWorkAsync(TimeSpan.FromHours(4)));

        var actions = await PolicyActionsAsync(name);
        Assert.Equal(2, actions.Count);
        Assert.All(actions, a => Assert.Equal(("aws.ssm", "NoChangeNotification", "SecureString"), (a.Source, (string?)a.Detail["policy-type"], (string?)a.Detail["parameter-type"])));
        Assert.Equal("changed", (await _ssm.GetAsync(name)).Value);
    }

    private Task<PutParameterResponse> PutWithPoliciesAsync(string name, string policies) =>
        _ssm.PutParameterAsync(new PutParameterRequest { Name = name, Value = "v", Type = ParameterType.SecureString, Tier = ParameterTier.Advanced, Policies = policies });

    /// <summary>Moves the server's clock and runs what is due, as the scheduler would.</summary>
    private async Task<int> RunDueWorkAsync(TimeSpan advance)
    {
        fixture.Clock!.Advance(advance);
        return await fixture.Server.Services.RunDueWorkAsync(CancellationToken.None);
    }

    private async Task<List<string>> StatusesAsync(string name)
    {
        var page = await _ssm.DescribeParametersAsync(new DescribeParametersRequest { ParameterFilters = [new ParameterStringFilter { Key = "Name", Values = [name] }] });
        return [.. Assert.Single(page.Parameters).Policies.Select(p => p.PolicyStatus)];
    }

    private async Task<List<Core.Events.CofferEvent>> PolicyActionsAsync(string name) =>
        [.. (await fixture.EventsAsync()).Select(e => e.Event).Where(e => e.DetailType == "Parameter Store Policy Action" && (string?)e.Detail["parameter-name"] == name)];

    private static string Iso(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
}
