using Coffer.Agent;

namespace Coffer.Server.Tests.Agent;

/// <summary>Issue 12: AWS's extension's variables, with its defaults and ranges; a bad value stops the agent.</summary>
public sealed class AgentOptionsTests
{
    private static Func<string, string?> Env(params (string Name, string Value)[] values)
    {
        var all = new Dictionary<string, string>(values.Select(v => KeyValuePair.Create(v.Name, v.Value)))
        {
            ["AWS_CONFIG_FILE"] = "/dev/null",
            ["AWS_SHARED_CREDENTIALS_FILE"] = "/dev/null",
        };
        all.TryAdd("AWS_SESSION_TOKEN", "t");
        return name => all.GetValueOrDefault(name);
    }

    [Fact]
    public void Defaults_are_those_of_AWSs_extension()
    {
        var options = AgentOptions.FromEnvironment(Env());

        Assert.Equal(2773, options.HttpPort);
        Assert.True(options.CacheEnabled);
        Assert.Equal(1000, options.CacheSize);
        Assert.Equal(3, options.MaxConnections);
        Assert.Equal(TimeSpan.FromSeconds(300), options.ParameterTtl);
        Assert.Equal(TimeSpan.FromSeconds(300), options.SecretTtl);
        Assert.Equal(Timeout.InfiniteTimeSpan, options.SecretTimeout);
        Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Information, options.LogLevel);
        Assert.Null(options.Endpoints.Events);
    }

    [Theory]
    [InlineData("SSM_PARAMETER_STORE_TTL", "301")]
    [InlineData("SECRETS_MANAGER_TTL", "-1")]
    [InlineData("PARAMETERS_SECRETS_EXTENSION_CACHE_SIZE", "1001")]
    [InlineData("PARAMETERS_SECRETS_EXTENSION_MAX_CONNECTIONS", "0")]
    [InlineData("PARAMETERS_SECRETS_EXTENSION_HTTP_PORT", "65536")]
    [InlineData("PARAMETERS_SECRETS_EXTENSION_CACHE_ENABLED", "yes")]
    [InlineData("PARAMETERS_SECRETS_EXTENSION_LOG_LEVEL", "verbose")]
    [InlineData("SECRETS_MANAGER_TIMEOUT_MILLIS", "soon")]
    [InlineData("AWS_ENDPOINT_URL", "ftp://coffer")]
    public void Value_out_of_range_stops_the_agent_naming_the_variable(string name, string value)
    {
        var e = Assert.Throws<AgentConfigException>(() => AgentOptions.FromEnvironment(Env((name, value))));

        Assert.Contains(name, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Encrypted_variables_that_cannot_be_decrypted_stop_the_agent_naming_what_is_wrong()
    {
        static string Refusal(params (string Name, string Value)[] values) =>
            Assert.Throws<AgentConfigException>(() => AgentOptions.FromEnvironment(Env([("COFFER_AGENT_ENCRYPTED_VARIABLES", "API_KEY"), .. values]))).Message;

        Assert.Contains("API_KEY, which is not set", Refusal(("AWS_LAMBDA_FUNCTION_NAME", "billing")), StringComparison.Ordinal);
        Assert.Contains("API_KEY is not base64", Refusal(("API_KEY", "not base64!"), ("AWS_LAMBDA_FUNCTION_NAME", "billing")), StringComparison.Ordinal);
        Assert.Contains("AWS_LAMBDA_FUNCTION_NAME", Refusal(("API_KEY", "AQIDBA==")), StringComparison.Ordinal);
    }

    [Fact]
    public void Endpoints_are_found_as_the_SDKs_find_them_and_the_token_is_never_printed()
    {
        var options = AgentOptions.FromEnvironment(Env(
            ("AWS_ENDPOINT_URL", "https://coffer.example:8443"),
            ("AWS_ENDPOINT_URL_SSM", "https://ssm.example"),
            ("AWS_REGION", "eu-west-1"),
            ("AWS_SESSION_TOKEN", "very-secret-token")));

        Assert.Equal("https://ssm.example/", options.Endpoints.Ssm.ToString());
        Assert.Equal("https://coffer.example:8443/", options.Endpoints.SecretsManager.ToString());
        Assert.Equal("https://coffer.example:8443/", options.Endpoints.Events?.ToString());
        Assert.Equal("eu-west-1", options.Endpoints.Region);
        Assert.DoesNotContain("very-secret-token", options.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Credentials_come_from_the_profile_when_the_environment_has_none()
    {
        var file = Path.GetTempFileName();
        File.WriteAllText(file, "[default]\naws_access_key_id = AKIADEFAULT\naws_secret_access_key = d\n\n[app]\naws_access_key_id = AKIAAPP\naws_secret_access_key = s\naws_session_token = tok\n");
        try
        {
            var credentials = AwsCredentials.Resolve(name => name switch
            {
                "AWS_SHARED_CREDENTIALS_FILE" => file,
                "AWS_CONFIG_FILE" => "/dev/null",
                "AWS_PROFILE" => "app",
                _ => null,
            });

            Assert.Equal("AKIAAPP", credentials.AccessKeyId);
            Assert.Equal("tok", credentials.SessionToken);
            Assert.Equal("AKIAAPP (secret redacted)", credentials.ToString());
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void The_settings_line_redacts_each_option_by_its_Sensitive_marking_and_prints_every_other()
    {
        var options = AgentOptions.Default with { Token = "canary-token-4711", LambdaRuntimeApi = "127.0.0.1:9001" };

        var text = options.ToString();

        Assert.DoesNotContain("canary-token-4711", text, StringComparison.Ordinal);
        var sensitive = typeof(AgentOptions).GetProperties().Where(p => p.IsDefined(typeof(SensitiveAttribute), inherit: true)).ToList();
        Assert.NotEmpty(sensitive);
        Assert.All(sensitive, p => Assert.Contains($"{char.ToLowerInvariant(p.Name[0])}{p.Name[1..]}=(redacted)", text, StringComparison.Ordinal));
        // A setting nobody listed is printed too: the line is made from the properties, not by hand.
        Assert.Contains("lambdaRuntimeApi=127.0.0.1:9001", text, StringComparison.Ordinal);
    }
}
