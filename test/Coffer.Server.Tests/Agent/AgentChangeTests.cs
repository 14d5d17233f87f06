using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using Coffer.Agent;
using Coffer.Server.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace Coffer.Server.Tests.Agent;

/// <summary>Issue 12: a change reaches the agent through Coffer's change events, not after the TTL;
/// without the stream the TTL bounds staleness; while Coffer is down, a value is served stale within a bound.</summary>
public sealed class AgentChangeTests(AgentFixture fixture) : IClassFixture<AgentFixture>
{
    // The agent's clock never moves in these tests, so only an event can make it fetch again.
    private static FakeTimeProvider Frozen() => new(DateTimeOffset.UtcNow);

    [Fact]
    public async Task New_parameter_version_is_served_after_its_change_event_long_before_the_TTL()
    {
        using var ssm = fixture.Ssm();
        await ssm.PutParameterAsync(new PutParameterRequest { Name = "/agent/change/p", Value = "v1", Type = ParameterType.SecureString });
        await using var agent = await fixture.StartAgentAsync(time: Frozen());
        using var http = AgentFixture.Client(agent);
        const string path = "/systemsmanager/parameters/get?name=/agent/change/p&withDecryption=true";
        Assert.Equal("v1", await AgentReadTests.ValueAsync(http, path));

        await ssm.PutParameterAsync(new PutParameterRequest { Name = "/agent/change/p", Value = "v2", Type = ParameterType.SecureString, Overwrite = true });

        Assert.Equal("v2", await EventuallyAsync(() => AgentReadTests.ValueAsync(http, path), "v2"));
    }

    [Fact]
    public async Task Rotated_secret_is_served_after_its_change_event_long_before_the_TTL()
    {
        await fixture.SecretsAsync("CreateSecret", new { Name = "agent/change/s", SecretString = "before" });
        await using var agent = await fixture.StartAgentAsync(time: Frozen());
        using var http = AgentFixture.Client(agent);
        const string path = "/secretsmanager/get?secretId=agent/change/s";
        Assert.Equal("before", await AgentReadTests.SecretAsync(http, path));

        await fixture.SecretsAsync("PutSecretValue", new { SecretId = "agent/change/s", SecretString = "after" });

        Assert.Equal("after", await EventuallyAsync(() => AgentReadTests.SecretAsync(http, path), "after"));
    }

    [Fact]
    public async Task Without_the_event_stream_a_change_is_seen_when_the_TTL_ends_and_the_log_says_so()
    {
        var logs = new LogCapture();
        var clock = Frozen();
        using var ssm = fixture.Ssm();
        await ssm.PutParameterAsync(new PutParameterRequest { Name = "/agent/change/ttl", Value = "old", Type = ParameterType.String });
        var nowhere = new Uri("http://127.0.0.1:9/");
        await using var agent = await fixture.StartAgentAsync(
            o => o with { ParameterTtl = TimeSpan.FromSeconds(30), Endpoints = o.Endpoints with { Events = nowhere } },
            clock,
            logs,
            waitForEvents: false);
        using var http = AgentFixture.Client(agent);
        const string path = "/systemsmanager/parameters/get?name=/agent/change/ttl";
        Assert.Equal("old", await AgentReadTests.ValueAsync(http, path));

        await ssm.PutParameterAsync(new PutParameterRequest { Name = "/agent/change/ttl", Value = "new", Type = ParameterType.String, Overwrite = true });
        Assert.Equal("old", await AgentReadTests.ValueAsync(http, path));
        clock.Advance(TimeSpan.FromSeconds(31));

        Assert.Equal("new", await AgentReadTests.ValueAsync(http, path));
        Assert.False(agent.Subscribed);

        // The first attempt to connect runs beside the reads; its failure is logged when it comes.
        static bool FallbackLogged(LogCapture logs) =>
            logs.Lines.Any(l => l.Contains("[3031]", StringComparison.Ordinal) && l.Contains("falling back to the TTL", StringComparison.Ordinal));
        for (var i = 0; i < 400 && !FallbackLogged(logs); i++)
        {
            await Task.Delay(50);
        }

        Assert.True(FallbackLogged(logs), string.Join('\n', logs.Lines));
    }

    [Fact]
    public async Task While_Coffer_is_down_a_cached_secret_is_served_stale_within_the_bound_then_refused()
    {
        var clock = Frozen();
        var server = new AgentFixture();
        await server.InitializeAsync();
        RunningAgent agent;
        try
        {
            await server.SecretsAsync("CreateSecret", new { Name = "agent/change/stale", SecretString = "kept" });
            agent = await server.StartAgentAsync(o => o with { SecretTtl = TimeSpan.FromSeconds(10), MaxStale = TimeSpan.FromSeconds(60) }, clock, waitForEvents: false);
            using var warm = AgentFixture.Client(agent);
            Assert.Equal("kept", await AgentReadTests.SecretAsync(warm, "/secretsmanager/get?secretId=agent/change/stale"));
        }
        finally
        {
            await server.DisposeAsync();
        }

        await using (agent)
        {
            using var http = AgentFixture.Client(agent);
            clock.Advance(TimeSpan.FromSeconds(30));
            Assert.Equal("kept", await AgentReadTests.SecretAsync(http, "/secretsmanager/get?secretId=agent/change/stale"));

            clock.Advance(TimeSpan.FromSeconds(60));
            using var refused = await http.GetAsync("/secretsmanager/get?secretId=agent/change/stale");
            Assert.Equal(System.Net.HttpStatusCode.BadGateway, refused.StatusCode);
        }
    }

    /// <summary>Reads until the expected value comes (at most 20 s: a bound for a stuck test, not a timing assertion).</summary>
    private static async Task<string?> EventuallyAsync(Func<Task<string?>> read, string expected)
    {
        string? last = null;
        for (var i = 0; i < 400 && last != expected; i++)
        {
            last = await read();
            if (last != expected)
            {
                await Task.Delay(50);
            }
        }

        return last;
    }
}
