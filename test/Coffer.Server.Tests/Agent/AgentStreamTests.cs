using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using Coffer.Agent;
using Coffer.Server.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace Coffer.Server.Tests.Agent;

/// <summary>Issue 12: the agent's change stream starts from now (the events kept are not replayed),
/// a change made while its stream was down still reaches it once it reconnects, and a resume point
/// the server no longer has makes it drop what it cached.</summary>
public sealed class AgentStreamTests(AgentFixture fixture) : IClassFixture<AgentFixture>
{
    [Fact]
    public async Task The_agent_starts_its_stream_from_now_and_a_change_made_while_the_stream_was_down_still_reaches_it()
    {
        await using var run = await StartAsync("/agent/stream/p", "v1");

        await run.CutAsync();
        await run.Ssm.PutParameterAsync(new PutParameterRequest { Name = run.Name, Value = "v2", Type = ParameterType.String, Overwrite = true });
        run.Relay.Restore();

        Assert.True(await AgentFixture.UntilAsync(async () => await run.ValueAsync() == "v2"), string.Join('\n', run.Logs.Lines));
        Assert.Contains(run.Logs.Lines, l => l.Contains("[3031]", StringComparison.Ordinal));
    }

    [Fact]
    public async Task When_the_event_to_resume_after_is_gone_the_agent_drops_what_it_cached_and_starts_from_now()
    {
        await using var run = await StartAsync("/agent/stream/reset", "before-reset");

        // The server forgets everything, its events included; the agent learns it when it reconnects.
        await fixture.ResetAsync();
        await run.Ssm.PutParameterAsync(new PutParameterRequest { Name = run.Name, Value = "after-reset", Type = ParameterType.String });
        await run.CutAsync();
        run.Relay.Restore();

        Assert.True(await AgentFixture.UntilAsync(async () => await run.ValueAsync() == "after-reset"), string.Join('\n', run.Logs.Lines));
        Assert.Contains(run.Logs.Lines, l => l.Contains("[3051]", StringComparison.Ordinal));
        Assert.True(await AgentFixture.UntilAsync(() => run.Agent.Subscribed), "the agent did not open its stream again");
    }

    /// <summary>A parameter, and an agent whose event stream goes through a relay the test can cut;
    /// its clock never moves, so only a change event (or a dropped cache) can make it fetch again.
    /// Returns once the agent has served the value and the stream has given its position.</summary>
    private async Task<Run> StartAsync(string name, string value)
    {
        var ssm = fixture.Ssm();
        await ssm.PutParameterAsync(new PutParameterRequest { Name = name, Value = value, Type = ParameterType.String });
        var relay = new TcpRelay(new Uri(fixture.Endpoint));
        var logs = new LogCapture();
        var agent = await fixture.StartAgentAsync(o => o with { Endpoints = o.Endpoints with { Events = relay.Uri } }, new FakeTimeProvider(DateTimeOffset.UtcNow), logs);
        var run = new Run(name, ssm, relay, logs, agent, AgentFixture.Client(agent));
        Assert.Equal(value, await run.ValueAsync());
        Assert.True(await AgentFixture.UntilAsync(() => agent.LastEventId is not null), "the stream did not give its position");
        return run;
    }

    private sealed record Run(string Name, AmazonSimpleSystemsManagementClient Ssm, TcpRelay Relay, LogCapture Logs, RunningAgent Agent, HttpClient Http) : IAsyncDisposable
    {
        public Task<string?> ValueAsync() => AgentReadTests.ValueAsync(Http, "/systemsmanager/parameters/get?name=" + Name);

        public async Task CutAsync()
        {
            Relay.Cut();
            Assert.True(await AgentFixture.UntilAsync(() => !Agent.Subscribed), "the stream did not drop");
        }

        public async ValueTask DisposeAsync()
        {
            Http.Dispose();
            await Agent.DisposeAsync();
            Relay.Dispose();
            Ssm.Dispose();
        }
    }
}
