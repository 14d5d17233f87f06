using Coffer.Server.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Coffer.Server.Tests.Scripts;

/// <summary>
/// Runs the client scripts (the AWS CLI v2 in test/scripts, the JS SDKs in test/js, boto3 in
/// test/python) against a fresh dev server each. A script passes when it exits 0; its output is
/// shown when it does not. One class per client kind, so the kinds run in parallel.
/// </summary>
public abstract class ScriptTestsBase(CofferFixture fixture, ITestOutputHelper output)
{
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromMinutes(8);

    protected async Task RunAsync(string program, string script, params string[] arguments)
    {
        await fixture.ResetAsync();
        // A script makes dozens of CLI calls of about a second each on a quiet machine, and several
        // times that on a loaded one: more time than one call gets, so a busy CI does not fail it.
        var (exitCode, text) = await ExternalClient.RunAsync(program, [script, .. arguments], ExternalClient.AwsEnvironment(fixture), ScriptTimeout);
        output.WriteLine(text);
        Assert.True(exitCode == 0, $"{script} exited with {exitCode}:\n{text}");
    }

    protected static IEnumerable<object[]> Find(string folder, string pattern) =>
        Directory.EnumerateFiles(Path.Combine(ExternalClient.RepositoryRoot, "test", folder), pattern)
            .Select(f => Path.GetRelativePath(ExternalClient.RepositoryRoot, f))
            .Order(StringComparer.Ordinal)
            .Select(f => new object[] { f });
}

/// <summary>
/// The AWS CLI scripts, in three groups that run in parallel (the CLI takes about a second a call,
/// so run one after another they would be the slowest part of the suite). Every script in
/// test/scripts belongs to exactly one group, which <see cref="ScriptGroupTests"/> checks.
/// </summary>
public sealed class AwsCliKmsAndParameterStoreScriptTests(CofferFixture fixture, ITestOutputHelper output) : ScriptTestsBase(fixture, output), IClassFixture<CofferFixture>
{
    public static IEnumerable<object[]> Scripts => AwsCliScripts.Group("kms", "ssm");

    [Theory]
    [MemberData(nameof(Scripts))]
    public Task Aws_cli_v2_script_passes(string script) => RunAsync("/bin/bash", script);
}

public sealed class AwsCliSecretsManagerScriptTests(CofferFixture fixture, ITestOutputHelper output) : ScriptTestsBase(fixture, output), IClassFixture<CofferFixture>
{
    public static IEnumerable<object[]> Scripts => AwsCliScripts.Group("secretsmanager", "cloudtrail");

    [Theory]
    [MemberData(nameof(Scripts))]
    public Task Aws_cli_v2_script_passes(string script) => RunAsync("/bin/bash", script);
}

public sealed class AwsCliIdentityScriptTests(CofferFixture fixture, ITestOutputHelper output) : ScriptTestsBase(fixture, output), IClassFixture<CofferFixture>
{
    public static IEnumerable<object[]> Scripts => AwsCliScripts.Group("iam", "access");

    [Theory]
    [MemberData(nameof(Scripts))]
    public Task Aws_cli_v2_script_passes(string script) => RunAsync("/bin/bash", script);
}

public static class AwsCliScripts
{
    public static readonly string[][] Groups = [["kms", "ssm"], ["secretsmanager", "cloudtrail"], ["iam", "access"]];

    public static IEnumerable<string> All =>
        Directory.EnumerateFiles(Path.Combine(ExternalClient.RepositoryRoot, "test", "scripts"), "*.sh")
            .Where(f => Path.GetFileName(f) != "lib.sh")
            .Select(f => Path.GetRelativePath(ExternalClient.RepositoryRoot, f))
            .Order(StringComparer.Ordinal);

    /// <summary>The scripts whose name starts with one of the prefixes (up to the first '-' or '.').</summary>
    public static IEnumerable<object[]> Group(params string[] prefixes) =>
        All.Where(f => prefixes.Contains(Prefix(f))).Select(f => new object[] { f });

    public static string Prefix(string script) => Path.GetFileNameWithoutExtension(script).Split('-')[0];
}

public sealed class ScriptGroupTests
{
    [Fact]
    public void Every_aws_cli_script_runs_in_exactly_one_group()
    {
        Assert.NotEmpty(AwsCliScripts.All);
        Assert.All(AwsCliScripts.All, script => Assert.Single(AwsCliScripts.Groups, g => g.Contains(AwsCliScripts.Prefix(script))));
    }
}

public sealed class JsSdkScriptTests(CofferFixture fixture, ITestOutputHelper output) : ScriptTestsBase(fixture, output), IClassFixture<CofferFixture>
{
    public static IEnumerable<object[]> Scripts => Find("js", "*.test.mjs");

    [Theory]
    [MemberData(nameof(Scripts))]
    public Task Js_sdk_script_passes(string script) => RunAsync("node", script);
}

public sealed class Boto3ScriptTests(CofferFixture fixture, ITestOutputHelper output) : ScriptTestsBase(fixture, output), IClassFixture<CofferFixture>
{
    public static IEnumerable<object[]> Scripts => Find("python", "test_*.py");

    /// <summary>Debian's python3 with python3-boto3, which .ci/run installs.</summary>
    [Theory]
    [MemberData(nameof(Scripts))]
    public Task Boto3_script_passes(string script) => RunAsync("/usr/bin/python3", script);
}
