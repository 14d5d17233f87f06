using System.Diagnostics;
using System.Text;

namespace Coffer.Server.Tests.Infrastructure;

/// <summary>Runs a real client program (the AWS CLI, node, python) against a test server.</summary>
public static class ExternalClient
{
    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary>The AWS CLI v2 from Debian's awscli package, which .ci/run installs.</summary>
    public const string AwsCliV2 = "/usr/bin/aws";

    public static async Task<(int ExitCode, string Output)> RunAsync(string fileName, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment, TimeSpan? timeout = null, string? stdin = null)
    {
        if (Path.IsPathRooted(fileName) && !File.Exists(fileName))
        {
            throw new InvalidOperationException($"{fileName} is not installed; .ci/run installs what the tests need.");
        }

        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin is not null,
            WorkingDirectory = RepositoryRoot,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        var output = new StringBuilder();
        var lockObject = new object();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (lockObject) { output.AppendLine(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (lockObject) { output.AppendLine(e.Data); } } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
            process.StandardInput.Close();
        }

        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} did not finish in time. Output so far:\n{output}");
        }

        process.WaitForExit();
        return (process.ExitCode, output.ToString());
    }

    /// <summary>The environment a client needs to reach the fixture's server as its root.</summary>
    public static Dictionary<string, string> AwsEnvironment(CofferFixture fixture, string? accessKeyId = null, string? secret = null, string? sessionToken = null)
    {
        var env = new Dictionary<string, string>
        {
            ["AWS_ACCESS_KEY_ID"] = accessKeyId ?? CofferFixture.AccessKeyId,
            ["AWS_SECRET_ACCESS_KEY"] = secret ?? CofferFixture.SecretAccessKey,
            ["AWS_REGION"] = CofferFixture.Region,
            ["AWS_DEFAULT_REGION"] = CofferFixture.Region,
            ["AWS_ENDPOINT_URL"] = fixture.Endpoint,
            ["COFFER_ENDPOINT"] = fixture.Endpoint,
            ["AWS_PAGER"] = "",
            ["AWS_CONFIG_FILE"] = "/dev/null",
            ["AWS_SHARED_CREDENTIALS_FILE"] = "/dev/null",
            ["AWS_MAX_ATTEMPTS"] = "1",
        };
        if (sessionToken is not null)
        {
            env["AWS_SESSION_TOKEN"] = sessionToken;
        }

        return env;
    }

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Coffer.slnx")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Cannot find the repository root (Coffer.slnx).");
    }
}
