using System.Text.Json;
using Coffer.Server.Tests.Infrastructure;

namespace Coffer.Server.Tests.Agent;

/// <summary>Issue 12: the example Node.js function (examples/node-agent), written as AWS's
/// documentation writes it for the extension, reads a parameter and a secret through the agent, and
/// a variable made by `coffer env encrypt` that the agent decrypted at its start.</summary>
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
        var (_, encrypted) = await fixture.EncryptedEnvironmentAsync("node-agent", "API_KEY=node-api-key-42\n");
        await using var agent = await fixture.StartAgentAsync(
            o => o with { EncryptedVariables = new Dictionary<string, string> { ["API_KEY"] = encrypted["API_KEY"] }, FunctionName = "node-agent" },
            waitForEvents: false);

        var (exit, output) = await ExternalClient.RunAsync("node", ["examples/node-agent/invoke.mjs"], new Dictionary<string, string>
        {
            ["PARAMETERS_SECRETS_EXTENSION_HTTP_PORT"] = agent.BaseAddress.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["AWS_SESSION_TOKEN"] = AgentFixture.Token,
            ["PARAMETER_NAME"] = "/app/prod/db/host",
            ["SECRET_ID"] = "app/prod/db",
            ["ENCRYPTED_VARIABLE"] = "API_KEY",
        });

        Assert.True(exit == 0, output);
        var body = JsonDocument.Parse(JsonDocument.Parse(output.Trim()).RootElement.GetProperty("body").GetString()!).RootElement;
        Assert.Equal("/app/prod/db/host", body.GetProperty("parameter").GetString());
        Assert.Equal("app", body.GetProperty("user").GetString());
        Assert.Equal("pa55word-xyz".Length, body.GetProperty("passwordLength").GetInt32());
        Assert.Equal("node-api-key-42".Length, body.GetProperty("apiKeyLength").GetInt32());
    }
}
