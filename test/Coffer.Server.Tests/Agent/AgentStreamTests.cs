using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using Coffer.Server.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace Coffer.Server.Tests.Agent;

/// <summary>Issue 12: the agent's change stream starts from now (the events kept are not replayed),
/// and a change made while its stream was down still reaches it once it reconnects.</summary>
public sealed class AgentStreamTests(AgentFixture fixture) : IClassFixture<AgentFixture>
{
    [Fact]
    public async Task The_agent_starts_its_stream_from_now_and_a_change_made_while_the_stream_was_down_still_reaches_it()
    {
        using var ssm = fixture.Ssm();
        const string name = "/agent/stream/p";
        await ssm.PutParameterAsync(new PutParameterRequest { Name = name, Value = "v1", Type = ParameterType.String });
        using var relay = new TcpRelay(new Uri(fixture.Endpoint));
        var logs = new LogCapture();

        // The clock never moves, so only a change event can make the agent fetch again.
        await using var agent = await fixture.StartAgentAsync(o => o with { Endpoints = o.Endpoints with { Events = relay.Uri } }, new FakeTimeProvider(DateTimeOffset.UtcNow), logs);
        using var http = AgentFixture.Client(agent);
        const string path = "/systemsmanager/parameters/get?name=/agent/stream/p";
        Assert.Equal("v1", await AgentReadTests.ValueAsync(http, path));
        Assert.True(await AgentFixture.UntilAsync(() => agent.LastEventId is not null), "the stream did not give its position");

        relay.Cut();
        Assert.True(await AgentFixture.UntilAsync(() => !agent.Subscribed), "the stream did not drop");
        await ssm.PutParameterAsync(new PutParameterRequest { Name = name, Value = "v2", Type = ParameterType.String, Overwrite = true });
        relay.Restore();

        Assert.True(await AgentFixture.UntilAsync(async () => await AgentReadTests.ValueAsync(http, path) == "v2"), string.Join('\n', logs.Lines));
        Assert.Contains(logs.Lines, l => l.Contains("[3031]", StringComparison.Ordinal));
    }

    [Fact]
    public async Task When_the_event_to_resume_after_is_gone_the_agent_drops_what_it_cached_and_starts_from_now()
    {
        using var ssm = fixture.Ssm();
        const string name = "/agent/stream/reset";
        await ssm.PutParameterAsync(new PutParameterRequest { Name = name, Value = "before-reset", Type = ParameterType.String });
        using var relay = new TcpRelay(new Uri(fixture.Endpoint));
        var logs = new LogCapture();
        await using var agent = await fixture.StartAgentAsync(o => o with { Endpoints = o.Endpoints with { Events = relay.Uri } }, new FakeTimeProvider(DateTimeOffset.UtcNow), logs);
        using var http = AgentFixture.Client(agent);
        const string path = "/systemsmanager/parameters/get?name=/agent/stream/reset";
        Assert.Equal("before-reset", await AgentReadTests.ValueAsync(http, path));
        Assert.True(await AgentFixture.UntilAsync(() => agent.LastEventId is not null), "the stream did not give its position");

        // The server forgets everything, its events included; the agent learns it when it reconnects.
        await fixture.ResetAsync();
        await ssm.PutParameterAsync(new PutParameterRequest { Name = name, Value = "after-reset", Type = ParameterType.String });
        relay.Cut();
        Assert.True(await AgentFixture.UntilAsync(() => !agent.Subscribed), "the stream did not drop");
        relay.Restore();

        Assert.True(await AgentFixture.UntilAsync(async () => await AgentReadTests.ValueAsync(http, path) == "after-reset"), string.Join('\n', logs.Lines));
        Assert.Contains(logs.Lines, l => l.Contains("[3051]", StringComparison.Ordinal));
        Assert.True(await AgentFixture.UntilAsync(() => agent.Subscribed), "the agent did not open its stream again");
    }
}
