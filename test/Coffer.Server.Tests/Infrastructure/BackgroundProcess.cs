using System.Diagnostics;

namespace Coffer.Server.Tests.Infrastructure;

/// <summary>A long-running client program for a test (an HTTP rotation function): started, waited
/// for until it prints a line that says it is ready, and killed (with its children) at the end.</summary>
public sealed class BackgroundProcess : IAsyncDisposable
{
    private readonly Process _process;

    private BackgroundProcess(Process process, string firstLine)
    {
        _process = process;
        FirstLine = firstLine;
    }

    public string FirstLine { get; }

    public static async Task<BackgroundProcess> StartAsync(string program, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, WorkingDirectory = ExternalClient.RepositoryRoot };
        foreach (var a in arguments)
        {
            start.ArgumentList.Add(a);
        }

        foreach (var (k, v) in environment)
        {
            start.Environment[k] = v;
        }

        var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var line = await process.StandardOutput.ReadLineAsync(timeout.Token)
            ?? throw new InvalidOperationException($"{program} exited before it was ready.");
        return new BackgroundProcess(process, line);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
