using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using Coffer.Server.Tests.Infrastructure;

namespace Coffer.Server.Tests.Ssm;

/// <summary>The <c>coffer params</c> commands, run as the built <c>coffer</c> program against a server,
/// with credentials and endpoint from the environment as a person's shell would give them.</summary>
public sealed class ParamsCliTests(CofferFixture fixture) : IClassFixture<CofferFixture>
{
    private readonly AmazonSimpleSystemsManagementClient _ssm = fixture.Ssm();

    [Fact]
    public async Task Tree_shows_the_hierarchy_with_types_and_versions_but_no_values()
    {
        var root = SsmTestKit.UniquePath();
        await _ssm.PutAsync(root + "/dev/db/host", "dev-host-value");
        await _ssm.PutAsync(root + "/dev/db/password", "dev-secret-value", ParameterType.SecureString);
        await _ssm.PutAsync(root + "/prod/db/host", "prod-host-value");

        var (code, output) = await CofferAsync("params", "tree", root);

        Assert.Equal(0, code);
        Assert.Equal(
            [root, "├── dev", "│   └── db", "│       ├── host  (String, v1)", "│       └── password  (SecureString, v1)", "└── prod", "    └── db", "        └── host  (String, v1)", "3 parameters"],
            Lines(output));
    }

    [Fact]
    public async Task History_lists_versions_who_and_labels()
    {
        var name = SsmTestKit.UniquePath() + "/db/password";
        await _ssm.PutAsync(name, "first-secret", ParameterType.SecureString);
        await _ssm.PutAsync(name, "second-secret", overwrite: true);
        await _ssm.LabelParameterVersionAsync(new LabelParameterVersionRequest { Name = name, ParameterVersion = 1, Labels = ["previous"] });

        var (code, output) = await CofferAsync("params", "history", name);

        Assert.Equal(0, code);
        var lines = Lines(output);
        Assert.Equal(3, lines.Count);
        Assert.Matches($@"^1\s+\S+ \S+\s+SecureString\s+arn:aws:iam::{CofferFixture.AccountId}:root\s+previous$", lines[1]);
        Assert.StartsWith("2 ", lines[2], StringComparison.Ordinal);
        Assert.DoesNotContain("secret", output, StringComparison.Ordinal);
        var (missing, error) = await CofferAsync("params", "history", name + "-missing");
        Assert.Equal(2, missing);
        Assert.Contains("ParameterNotFound", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Diff_names_missing_and_differing_keys_and_shows_values_only_when_asked()
    {
        var root = SsmTestKit.UniquePath();
        await _ssm.PutAsync(root + "/dev/db/host", "localhost");
        await _ssm.PutAsync(root + "/dev/db/password", "dev-pw", ParameterType.SecureString);
        await _ssm.PutAsync(root + "/dev/same", "x");
        await _ssm.PutAsync(root + "/prod/db/host", "db.internal");
        await _ssm.PutAsync(root + "/prod/same", "x");
        await _ssm.PutAsync(root + "/prod/only", "p");

        var (code, output) = await CofferAsync("params", "diff", root + "/dev", root + "/prod");
        var (_, shown) = await CofferAsync("params", "diff", root + "/dev", root + "/prod", "--show-values");

        Assert.Equal(1, code);
        Assert.Equal(["~ db/host  differs", $"- db/password  only in {root}/dev", $"+ only  only in {root}/prod", "3 differences."], Lines(output));
        Assert.DoesNotContain("dev-pw", output, StringComparison.Ordinal);
        Assert.DoesNotContain("localhost", output, StringComparison.Ordinal);
        Assert.Contains("~ db/host  differs: localhost / db.internal", shown, StringComparison.Ordinal);
        Assert.Contains("dev-pw", shown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Copy_promotes_a_stage_keeping_types_and_dry_run_changes_nothing()
    {
        var root = SsmTestKit.UniquePath();
        await _ssm.PutAsync(root + "/dev/db/host", "localhost");
        await _ssm.PutAsync(root + "/dev/db/password", "dev-pw", ParameterType.SecureString);
        await _ssm.PutAsync(root + "/staging/db/host", "staging-host");

        var (dryCode, dry) = await CofferAsync("params", "copy", "--from", root + "/dev", "--to", root + "/staging", "--dry-run");
        Assert.Equal(0, dryCode);
        Assert.Contains("Would copy: 1 new, 0 updated, 1 left as they were.", dry, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ParameterNotFoundException>(() => _ssm.GetAsync(root + "/staging/db/password"));

        var (code, copied) = await CofferAsync("params", "copy", "--from", root + "/dev", "--to", root + "/staging");
        Assert.Equal(0, code);
        Assert.Contains("Copied: 1 new, 0 updated, 1 left as they were.", copied, StringComparison.Ordinal);
        var password = await _ssm.GetAsync(root + "/staging/db/password");
        Assert.Equal(("dev-pw", ParameterType.SecureString), (password.Value, password.Type));
        Assert.Equal("staging-host", (await _ssm.GetAsync(root + "/staging/db/host")).Value);

        var (_, overwritten) = await CofferAsync("params", "copy", "--from", root + "/dev", "--to", root + "/staging", "--overwrite");
        Assert.Contains("Copied: 0 new, 1 updated, 1 left as they were.", overwritten, StringComparison.Ordinal);
        Assert.Equal(("localhost", 2L), ((await _ssm.GetAsync(root + "/staging/db/host")).Value, (await _ssm.GetAsync(root + "/staging/db/host")).Version));
        Assert.DoesNotContain("dev-pw", dry + copied + overwritten, StringComparison.Ordinal);
        Assert.Equal(0, (await CofferAsync("params", "diff", root + "/dev", root + "/staging")).ExitCode);
    }

    private Task<(int ExitCode, string Output)> CofferAsync(params string[] arguments)
    {
        var environment = ExternalClient.AwsEnvironment(fixture);
        environment.Remove("COFFER_ENDPOINT");
        return ExternalClient.RunAsync("dotnet", [Path.Combine(AppContext.BaseDirectory, "coffer.dll"), .. arguments], environment);
    }

    private static List<string> Lines(string output) => [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r'))];
}
