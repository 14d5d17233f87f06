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
    protected async Task RunAsync(string program, string script, params string[] arguments)
    {
        await fixture.ResetAsync();
        var (exitCode, text) = await ExternalClient.RunAsync(program, [script, .. arguments], ExternalClient.AwsEnvironment(fixture));
        output.WriteLine(text);
        Assert.True(exitCode == 0, $"{script} exited with {exitCode}:\n{text}");
    }

    protected static IEnumerable<object[]> Find(string folder, string pattern) =>
        Directory.EnumerateFiles(Path.Combine(ExternalClient.RepositoryRoot, "test", folder), pattern)
            .Select(f => Path.GetRelativePath(ExternalClient.RepositoryRoot, f))
            .Order(StringComparer.Ordinal)
            .Select(f => new object[] { f });
}

public sealed class AwsCliScriptTests(CofferFixture fixture, ITestOutputHelper output) : ScriptTestsBase(fixture, output), IClassFixture<CofferFixture>
{
    public static IEnumerable<object[]> Scripts => Find("scripts", "*.sh");

    [Theory]
    [MemberData(nameof(Scripts))]
    public Task Aws_cli_v2_script_passes(string script) => RunAsync("/bin/bash", script);
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
