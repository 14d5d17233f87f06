using Amazon.Runtime;
using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using Coffer.Agent;
using Coffer.Server.Tests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace Coffer.Server.Tests.Agent;

/// <summary>Issue 12: the agent reaches a server over HTTPS by trusting Coffer's CA through
/// AWS_CA_BUNDLE, as the AWS CLI does, and refuses the server's certificate without it.</summary>
public sealed class AgentTlsTests(TlsCofferFixture fixture) : IClassFixture<TlsCofferFixture>
{
    [Fact]
    public async Task Agent_reads_over_HTTPS_trusting_Coffers_CA_from_AWS_CA_BUNDLE_and_subscribes_there()
    {
        await PutAsync("/agent/tls/p", "over-tls");
        var env = fixture.ClientEnvironment();
        env["AWS_TOKEN"] = AgentFixture.Token;
        env["PARAMETERS_SECRETS_EXTENSION_HTTP_PORT"] = "0";
        var options = AgentOptions.FromEnvironment(name => env.GetValueOrDefault(name));
        await using var agent = await AgentHost.StartAsync(options, AwsCredentials.Resolve(name => env.GetValueOrDefault(name)), b => b.AddProvider(new LogCapture()));
        using var http = AgentFixture.Client(agent);

        Assert.Equal("over-tls", await AgentReadTests.ValueAsync(http, "/systemsmanager/parameters/get?name=/agent/tls/p"));
        for (var i = 0; i < 600 && !agent.Subscribed; i++)
        {
            await Task.Delay(50);
        }

        Assert.True(agent.Subscribed);
    }

    [Fact]
    public async Task Without_the_CA_the_agent_refuses_the_servers_certificate()
    {
        await PutAsync("/agent/tls/untrusted", "never-served");
        var env = fixture.ClientEnvironment(trustCa: false);
        env["AWS_TOKEN"] = AgentFixture.Token;
        env["PARAMETERS_SECRETS_EXTENSION_HTTP_PORT"] = "0";
        var options = AgentOptions.FromEnvironment(name => env.GetValueOrDefault(name)) with { SubscribeToEvents = false };
        await using var agent = await AgentHost.StartAsync(options, AwsCredentials.Resolve(name => env.GetValueOrDefault(name)), b => b.AddProvider(new LogCapture()));
        using var http = AgentFixture.Client(agent);

        using var response = await http.GetAsync("/systemsmanager/parameters/get?name=/agent/tls/untrusted");

        Assert.Equal(System.Net.HttpStatusCode.BadGateway, response.StatusCode);
        Assert.DoesNotContain("never-served", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private async Task PutAsync(string name, string value)
    {
        using var ssm = new AmazonSimpleSystemsManagementClient(new BasicAWSCredentials(fixture.Root.AccessKeyId, fixture.Root.SecretAccessKey), new AmazonSimpleSystemsManagementConfig
        {
            ServiceURL = fixture.Endpoint,
            AuthenticationRegion = CofferFixture.Region,
            MaxErrorRetry = 0,
            HttpClientFactory = new CaTrustingHttpClientFactory(fixture.CaPath),
        });
        await ssm.PutParameterAsync(new PutParameterRequest { Name = name, Value = value, Type = ParameterType.String });
    }
}
