using System.Diagnostics;
using System.Text;
using Amazon.SimpleSystemsManagement;
using Coffer.Server.Tests.Infrastructure;
using Coffer.Server.Tests.Ssm;

namespace Coffer.Server.Tests.Client;

/// <summary><c>coffer exec</c> and <c>coffer env</c>, run as the built program against a real server (issue 12).</summary>
public sealed class ExecCommandTests(CofferFixture fixture) : IClassFixture<CofferFixture>
{
    private readonly AmazonSimpleSystemsManagementClient _ssm = fixture.Ssm();

    [Fact]
    public async Task Exec_gives_the_process_the_stage_and_its_secrets_and_returns_its_exit_code()
    {
        var root = SsmTestKit.UniquePath() + "/prod";
        await _ssm.PutAsync(root + "/db/password", "exec-db-secret", ParameterType.SecureString);
        await _ssm.PutAsync(root + "/feature-flags/new-ui", "on");
        var secret = ClientKit.UniqueName("exec");
        await ClientKit.CreateSecretAsync(fixture, secret, "exec-secret-value");

        var (code, output) = await CofferAsync(null, "exec", "--path", root, "--secret", "API_TOKEN=" + secret, "--", "sh", "-c", "echo \"$DB_PASSWORD|$FEATURE_FLAGS_NEW_UI|$API_TOKEN\"; exit 7");

        Assert.Equal(7, code);
        Assert.Equal("exec-db-secret|on|exec-secret-value", output.Trim());
    }

    [Fact]
    public async Task Exec_refuses_two_sources_of_one_variable_and_names_both()
    {
        var root = SsmTestKit.UniquePath() + "/prod";
        await _ssm.PutAsync(root + "/db/host", "a");
        await _ssm.PutAsync(root + "/db-host", "b");

        var (code, output) = await CofferAsync(null, "exec", "--path", root, "--", "true");

        Assert.Equal(1, code);
        Assert.Contains($"{root}/db/host", output, StringComparison.Ordinal);
        Assert.Contains($"{root}/db-host", output, StringComparison.Ordinal);
        Assert.Contains("DB_HOST", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Exec_passes_SIGTERM_to_the_process_and_its_exit_code_back()
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { Path.Combine(AppContext.BaseDirectory, "coffer.dll"), "exec", "--", "sh", "-c", "trap 'echo trapped TERM; exit 42' TERM; echo ready; while :; do sleep 0.1; done" })
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in Environment(fixture))
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        // Bounded: a child left running by a lost signal keeps the pipe open, and the read would never end.
        Assert.Equal("ready", await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromMinutes(1)));
        // The shell's own kill: no procps needed.
        using (var kill = Process.Start("sh", ["-c", "kill -TERM \"$1\"", "sh", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var bound = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await process.WaitForExitAsync(bound.Token);
        Assert.Equal("trapped TERM", await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromMinutes(1)));
        Assert.Equal(42, process.ExitCode);
    }

    [Fact]
    public async Task Env_export_prints_the_stage_as_dotenv_and_as_json()
    {
        var root = SsmTestKit.UniquePath() + "/prod";
        await _ssm.PutAsync(root + "/db/password", "p@ss w$rd", ParameterType.SecureString);
        await _ssm.PutAsync(root + "/db/host", "db.local");

        var (dotenvCode, dotenv) = await CofferAsync(null, "env", "export", "--path", root);
        var (jsonCode, json) = await CofferAsync(null, "env", "export", "--path", root, "--format", "json");

        Assert.Equal(0, dotenvCode);
        Assert.Equal("DB_HOST=db.local\nDB_PASSWORD=\"p@ss w\\$rd\"\n", dotenv);
        Assert.Equal(0, jsonCode);
        using var document = System.Text.Json.JsonDocument.Parse(json);
        Assert.Equal("p@ss w$rd", document.RootElement.GetProperty("DB_PASSWORD").GetString());
    }

    [Fact]
    public async Task Env_encrypt_writes_ciphertexts_that_the_AWS_CLI_decrypts_only_with_the_function_context()
    {
        var alias = "alias/" + ClientKit.UniqueName("env");
        await ClientKit.CreateKeyWithAliasAsync(fixture, alias);

        var (code, output) = await CofferAsync("# settings\nAPI_KEY=first value\nexport OTHER=\"two\"\n", "env", "encrypt", "--key", alias, "--function", "billing");

        Assert.Equal(0, code);
        var lines = output.Trim().Split('\n');
        Assert.Equal(["API_KEY", "OTHER"], lines.Select(l => l[..l.IndexOf('=', StringComparison.Ordinal)]));
        var blob = lines[0][(lines[0].IndexOf('=', StringComparison.Ordinal) + 1)..];
        var aws = ExternalClient.AwsEnvironment(fixture);
        var (decrypted, plaintext) = await ExternalClient.RunAsync(ExternalClient.AwsCliV2, ["--endpoint-url", fixture.Endpoint, "kms", "decrypt", "--ciphertext-blob", blob, "--encryption-context", "LambdaFunctionName=billing", "--query", "Plaintext", "--output", "text"], aws);
        Assert.True(decrypted == 0, plaintext);
        Assert.Equal("first value", Encoding.UTF8.GetString(Convert.FromBase64String(plaintext.Trim())));
        var (refused, error) = await ExternalClient.RunAsync(ExternalClient.AwsCliV2, ["--endpoint-url", fixture.Endpoint, "kms", "decrypt", "--ciphertext-blob", blob, "--encryption-context", "LambdaFunctionName=other"], aws);
        Assert.NotEqual(0, refused);
        Assert.Contains("InvalidCiphertextException", error, StringComparison.Ordinal);
    }

    private static Dictionary<string, string> Environment(CofferFixture fixture)
    {
        var env = ExternalClient.AwsEnvironment(fixture);
        env["COFFER_URL"] = fixture.Endpoint;
        return env;
    }

    private Task<(int ExitCode, string Output)> CofferAsync(string? stdin, params string[] arguments) =>
        ExternalClient.RunAsync("dotnet", [Path.Combine(AppContext.BaseDirectory, "coffer.dll"), .. arguments], Environment(fixture), stdin: stdin);
}
