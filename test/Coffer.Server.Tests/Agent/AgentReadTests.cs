using System.Net;
using System.Text.Json;
using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;

namespace Coffer.Server.Tests.Agent;

/// <summary>Issue 12: code written for AWS's extension reads through `coffer agent` unchanged.</summary>
public sealed class AgentReadTests(AgentFixture fixture) : IClassFixture<AgentFixture>
{
    [Fact]
    public async Task Parameter_read_through_the_agent_is_GetParameter_answer_byte_for_byte()
    {
        using var ssm = fixture.Ssm();
        await ssm.PutParameterAsync(new PutParameterRequest { Name = "/agent/read/db", Value = "s3cr3t-db", Type = ParameterType.SecureString });
        await using var agent = await fixture.StartAgentAsync(waitForEvents: false);
        using var http = AgentFixture.Client(agent);

        using var response = await http.GetAsync("/systemsmanager/parameters/get?name=%2Fagent%2Fread%2Fdb&withDecryption=true");
        var body = await response.Content.ReadAsByteArrayAsync();

        var direct = await fixture.DirectAsync("AmazonSSM.GetParameter", "ssm", """{"Name":"/agent/read/db","WithDecryption":true}""");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(direct.Body, body);
        Assert.Equal("s3cr3t-db", JsonDocument.Parse(body).RootElement.GetProperty("Parameter").GetProperty("Value").GetString());
    }

    [Fact]
    public async Task Parameter_version_label_arn_and_secret_reference_are_read_as_GetParameter_reads_them()
    {
        using var ssm = fixture.Ssm();
        await ssm.PutParameterAsync(new PutParameterRequest { Name = "/agent/read/v", Value = "one", Type = ParameterType.String });
        await ssm.PutParameterAsync(new PutParameterRequest { Name = "/agent/read/v", Value = "two", Type = ParameterType.String, Overwrite = true });
        await ssm.LabelParameterVersionAsync(new LabelParameterVersionRequest { Name = "/agent/read/v", ParameterVersion = 1, Labels = ["first"] });
        await fixture.SecretsAsync("CreateSecret", new { Name = "agent/read/ref", SecretString = "via-reference" });
        await using var agent = await fixture.StartAgentAsync(waitForEvents: false);
        using var http = AgentFixture.Client(agent);

        Assert.Equal("one", await ValueAsync(http, "/systemsmanager/parameters/get?name=/agent/read/v&version=1"));
        Assert.Equal("one", await ValueAsync(http, "/systemsmanager/parameters/get?name=/agent/read/v&label=first"));
        Assert.Equal("two", await ValueAsync(http, "/systemsmanager/parameters/get?name=" + Uri.EscapeDataString($"arn:aws:ssm:{AgentFixture.Region}:{AgentFixture.AccountId}:parameter/agent/read/v")));
        Assert.Equal("via-reference", await ValueAsync(http, "/systemsmanager/parameters/get?name=/aws/reference/secretsmanager/agent/read/ref&withDecryption=true"));
    }

    [Fact]
    public async Task Secret_is_read_by_query_and_by_v1_path_with_its_stage_and_version()
    {
        var created = await fixture.SecretsAsync("CreateSecret", new { Name = "agent/read/secret", SecretString = "first-value" });
        var firstVersion = created.GetProperty("VersionId").GetString()!;
        await fixture.SecretsAsync("PutSecretValue", new { SecretId = "agent/read/secret", SecretString = "second-value" });
        await using var agent = await fixture.StartAgentAsync(waitForEvents: false);
        using var http = AgentFixture.Client(agent);

        using var response = await http.GetAsync("/secretsmanager/get?secretId=agent%2Fread%2Fsecret");
        var direct = await fixture.DirectAsync("secretsmanager.GetSecretValue", "secretsmanager", """{"SecretId":"agent/read/secret"}""");
        Assert.Equal(direct.Body, await response.Content.ReadAsByteArrayAsync());
        Assert.Equal("second-value", await SecretAsync(http, "/v1/agent%2Fread%2Fsecret"));
        Assert.Equal("first-value", await SecretAsync(http, "/secretsmanager/get?secretId=agent/read/secret&versionStage=AWSPREVIOUS"));
        Assert.Equal("first-value", await SecretAsync(http, "/v1/agent/read/secret?versionId=" + firstVersion));
        Assert.Equal("second-value", await SecretAsync(http, "/secretsmanager/get?secretId=agent/read/secret&refreshNow=true"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("wrong-token")]
    [InlineData("AGENT-TEST-SESSION-TOKEN")]
    public async Task Request_without_the_right_token_is_refused(string? token)
    {
        await using var agent = await fixture.StartAgentAsync(waitForEvents: false);
        using var http = AgentFixture.Client(agent, token: null);
        if (token is not null)
        {
            http.DefaultRequestHeaders.TryAddWithoutValidation("X-Aws-Parameters-Secrets-Token", token);
        }

        using var response = await http.GetAsync("/secretsmanager/get?secretId=agent/none");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(0, agent.Cache.Calls);
    }

    [Fact]
    public async Task Vault_token_header_is_accepted_and_a_forwarded_request_is_refused()
    {
        await fixture.SecretsAsync("CreateSecret", new { Name = "agent/read/vault", SecretString = "v" });
        await using var agent = await fixture.StartAgentAsync(waitForEvents: false);
        using var http = AgentFixture.Client(agent, token: null);
        http.DefaultRequestHeaders.Add("X-Vault-Token", AgentFixture.Token);

        Assert.Equal("v", await SecretAsync(http, "/secretsmanager/get?secretId=agent/read/vault"));
        using var forwarded = new HttpRequestMessage(HttpMethod.Get, "/secretsmanager/get?secretId=agent/read/vault");
        forwarded.Headers.Add("X-Forwarded-For", "203.0.113.9");
        using var refused = await http.SendAsync(forwarded);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
    }

    [Fact]
    public async Task Coffers_errors_are_passed_through_with_their_status()
    {
        await using var agent = await fixture.StartAgentAsync(waitForEvents: false);
        using var http = AgentFixture.Client(agent);

        using var parameter = await http.GetAsync("/systemsmanager/parameters/get?name=/agent/read/missing");
        var direct = await fixture.DirectAsync("AmazonSSM.GetParameter", "ssm", """{"Name":"/agent/read/missing","WithDecryption":false}""");
        Assert.Equal(direct.Status, (int)parameter.StatusCode);
        Assert.Equal("ParameterNotFound", Type(await parameter.Content.ReadAsStringAsync()));

        using var secret = await http.GetAsync("/v1/agent/read/missing");
        Assert.Equal(HttpStatusCode.BadRequest, secret.StatusCode);
        Assert.Equal("ResourceNotFoundException", Type(await secret.Content.ReadAsStringAsync()));
    }

    [Theory]
    [InlineData("/secretsmanager/get", HttpStatusCode.BadRequest)]
    [InlineData("/secretsmanager/get?secretId=x&bogus=1", HttpStatusCode.BadRequest)]
    [InlineData("/secretsmanager/get?secretId=x&refreshNow=maybe", HttpStatusCode.BadRequest)]
    [InlineData("/systemsmanager/parameters/get?name=/x&version=1&label=l", HttpStatusCode.BadRequest)]
    [InlineData("/elsewhere", HttpStatusCode.NotFound)]
    public async Task Malformed_request_gets_an_error_and_makes_no_call(string path, HttpStatusCode expected)
    {
        await using var agent = await fixture.StartAgentAsync(waitForEvents: false);
        using var http = AgentFixture.Client(agent);

        using var response = await http.GetAsync(path);

        Assert.Equal(expected, response.StatusCode);
        Assert.NotNull(Type(await response.Content.ReadAsStringAsync()));
        Assert.Equal(0, agent.Cache.Calls);
    }

    [Fact]
    public async Task No_secret_value_reaches_the_agents_log()
    {
        var logs = new Infrastructure.LogCapture();
        await fixture.SecretsAsync("CreateSecret", new { Name = "agent/read/canary", SecretString = "canary-7f3a9c" });
        await using (var agent = await fixture.StartAgentAsync(time: null, logs: logs, waitForEvents: false))
        {
            using var http = AgentFixture.Client(agent);
            Assert.Equal("canary-7f3a9c", await SecretAsync(http, "/secretsmanager/get?secretId=agent/read/canary"));
            using var refused = await AgentFixture.Client(agent, "bad").GetAsync("/secretsmanager/get?secretId=agent/read/canary");
        }

        Assert.NotEmpty(logs.Lines);
        Assert.DoesNotContain(logs.Lines, l => l.Contains("canary-7f3a9c", StringComparison.Ordinal) || l.Contains(AgentFixture.Token, StringComparison.Ordinal));
    }

    internal static async Task<string?> ValueAsync(HttpClient http, string path)
    {
        var text = await http.GetStringAsync(path);
        return JsonDocument.Parse(text).RootElement.GetProperty("Parameter").GetProperty("Value").GetString();
    }

    internal static async Task<string?> SecretAsync(HttpClient http, string path)
    {
        var text = await http.GetStringAsync(path);
        return JsonDocument.Parse(text).RootElement.GetProperty("SecretString").GetString();
    }

    private static string? Type(string json) => JsonDocument.Parse(json).RootElement.TryGetProperty("__type", out var t) ? t.GetString() : null;
}
