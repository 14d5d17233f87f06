using System.Text.Json;
using Coffer.Server.Tests.Infrastructure;

namespace Coffer.Server.Tests.Agent;

/// <summary>Issue 12: the example Node.js function (examples/node-agent), written as AWS's
/// documentation writes it for the extension, reads a parameter and a secret through the agent.</summary>
public sealed class NodeAgentExampleTests(AgentFixture fixture) : IClassFixture<AgentFixture>
{
    [Fact]
    public async Task Node_function_written_for_AWSs_extension_reads_through_the_agent_unchanged()
    {
        using var ssm = fixture.Ssm();
        await ssm.PutParameterAsync(new Amazon.SimpleSystemsManagement.Model.PutParameterRequest
        {
            Name = "/app/prod/db/host",
            Value = "db.internal",
            Type = Amazon.SimpleSystemsManagement.ParameterType.SecureString,
        });
        await fixture.SecretsAsync("CreateSecret", new { Name = "app/prod/db", SecretString = """{"username":"app","password":"pa55word-xyz"}""" });
        await using var agent = await fixture.StartAgentAsync(waitForEvents: false);

        var (exit, output) = await ExternalClient.RunAsync("node", ["examples/node-agent/invoke.mjs"], new Dictionary<string, string>
        {
            ["PARAMETERS_SECRETS_EXTENSION_HTTP_PORT"] = agent.BaseAddress.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["AWS_SESSION_TOKEN"] = AgentFixture.Token,
            ["PARAMETER_NAME"] = "/app/prod/db/host",
            ["SECRET_ID"] = "app/prod/db",
        });

        Assert.True(exit == 0, output);
        var body = JsonDocument.Parse(JsonDocument.Parse(output.Trim()).RootElement.GetProperty("body").GetString()!).RootElement;
        Assert.Equal("/app/prod/db/host", body.GetProperty("parameter").GetString());
        Assert.Equal("app", body.GetProperty("user").GetString());
        Assert.Equal("pa55word-xyz".Length, body.GetProperty("passwordLength").GetInt32());
    }
}
