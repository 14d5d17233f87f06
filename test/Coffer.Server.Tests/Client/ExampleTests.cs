using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Amazon.SimpleSystemsManagement;
using Coffer.Server.Tests.Infrastructure;
using Coffer.Server.Tests.Ssm;

namespace Coffer.Server.Tests.Client;

/// <summary>
/// The functions in examples/ run against a real server as a new user would set them up (issue 12):
/// a variable made by <c>coffer env encrypt</c>, a SecureString parameter and a secret. Each prints
/// SHA-256 fingerprints of what it read, compared here with those of the values put.
/// </summary>
public sealed class ExampleTests(CofferFixture fixture) : IClassFixture<CofferFixture>
{
    [Fact]
    public async Task The_nodejs_function_with_aws_sdk_v2_reads_an_encrypted_variable_a_parameter_and_a_secret()
    {
        var env = await SetUpAsync("node-example");
        env["NODE_PATH"] = Path.Combine(ExternalClient.RepositoryRoot, "test", "js", "node_modules");
        env["AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE"] = "1";

        var (code, output) = await ExternalClient.RunAsync("node", [Path.Combine(ExternalClient.RepositoryRoot, "examples", "node-function", "invoke.js")], env);

        AssertRead(code, output);
    }

    [Fact]
    public async Task The_dotnet_function_with_Coffer_Client_reads_an_encrypted_variable_a_parameter_and_a_secret()
    {
        var env = await SetUpAsync("dotnet-example");

        // Its own build output (built with the tests, same configuration), with its own dependencies.
        var buildOutput = Path.GetRelativePath(Path.Combine(ExternalClient.RepositoryRoot, "test", "Coffer.Server.Tests"), AppContext.BaseDirectory);
        var dll = Path.Combine(ExternalClient.RepositoryRoot, "examples", "dotnet-function", buildOutput, "Coffer.Examples.Function.dll");
        var (code, output) = await ExternalClient.RunAsync("dotnet", [dll], env);

        AssertRead(code, output);
    }

    private const string ApiKey = "example-api-key";
    private const string DbPassword = "example-db-password";
    private const string Secret = "example-secret-value";

    private async Task<Dictionary<string, string>> SetUpAsync(string function)
    {
        var alias = "alias/" + ClientKit.UniqueName("example");
        await ClientKit.CreateKeyWithAliasAsync(fixture, alias);
        var parameter = SsmTestKit.UniquePath() + "/prod/db/password";
        await fixture.Ssm().PutAsync(parameter, DbPassword, ParameterType.SecureString);
        var secret = ClientKit.UniqueName("example");
        await ClientKit.CreateSecretAsync(fixture, secret, Secret);

        var env = ExternalClient.AwsEnvironment(fixture);
        env["COFFER_URL"] = fixture.Endpoint;
        var (code, encrypted) = await ExternalClient.RunAsync("dotnet", [Path.Combine(AppContext.BaseDirectory, "coffer.dll"), "env", "encrypt", "--key", alias, "--function", function], env, stdin: $"API_KEY={ApiKey}\n");
        Assert.True(code == 0, encrypted);
        env["API_KEY"] = encrypted.Trim()["API_KEY=".Length..];
        env["AWS_LAMBDA_FUNCTION_NAME"] = function;
        env["DB_PASSWORD_PARAMETER"] = parameter;
        env["SECRET_ID"] = secret;
        return env;
    }

    private static void AssertRead(int code, string output)
    {
        Assert.True(code == 0, output);
        var json = output.Split('\n').Single(l => l.StartsWith('{'));
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        Assert.Equal(Fingerprint(ApiKey), root.GetProperty("apiKey").GetString());
        Assert.Equal(Fingerprint(DbPassword), root.GetProperty("dbPassword").GetString());
        Assert.Equal(Fingerprint(Secret), root.GetProperty("secret").GetString());
        Assert.DoesNotContain(Secret, output, StringComparison.Ordinal);
    }

    private static string Fingerprint(string value) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)))[..16];
}
