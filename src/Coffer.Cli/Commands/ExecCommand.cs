using System.CommandLine;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Coffer.Cli.Commands;

/// <summary>
/// <c>coffer exec --path /app/prod [--secret NAME]... -- CMD ARGS</c>: runs a process with a stage's
/// parameters and secrets in its environment (see <see cref="StageEnvironment"/> for the names).
/// Nothing is written to disk; SIGINT, SIGTERM, SIGHUP and SIGQUIT are passed to the process, and
/// its exit code is coffer's (128 + the signal when a signal ended it).
/// </summary>
internal static class ExecCommand
{
    public static Command Create()
    {
        var path = new Option<string>("--path") { Description = "The stage's path, such as /app/prod: every parameter under it (SecureStrings decrypted)." };
        var secrets = new Option<string[]>("--secret") { Description = "A secret to add, as NAME or VAR=NAME (repeatable).", AllowMultipleArgumentsPerToken = false };
        var command = new Argument<string[]>("command") { Description = "The program and its arguments, after --.", Arity = ArgumentArity.OneOrMore };
        var url = CommonOptions.Url();
        var exec = new Command("exec", "Run a program with a stage's parameters and secrets as environment variables.") { path, secrets, url, command };
        // A synchronous action: System.CommandLine then leaves SIGINT and SIGTERM to us, to pass on.
        exec.SetAction(parse =>
        {
            try
            {
                var variables = StageEnvironment.ReadAsync(parse.GetValue(url)!, parse.GetValue(path), parse.GetValue(secrets) ?? [], CancellationToken.None).GetAwaiter().GetResult();
                return Run(parse.GetValue(command)!, variables.ToDictionary(v => v.Key, v => v.Value.Value));
            }
            catch (Exception e) when (e is CliException or HttpRequestException)
            {
                parse.InvocationConfiguration.Error.WriteLine(e.Message);
                return 1;
            }
        });
        return exec;
    }

    private static int Run(string[] command, Dictionary<string, string> variables)
    {
        var start = new ProcessStartInfo(command[0]) { UseShellExecute = false };
        foreach (var argument in command.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in variables)
        {
            start.Environment[name] = value;
        }

        // The handlers are in place before the child starts: a signal that arrives between the two
        // (a supervisor stopping everything at once) is held and passed on as soon as there is a child,
        // rather than ending this process and leaving the child running without it.
        var gate = new object();
        Process? child = null;
        PosixSignal? pending = null;
        var forwarding = new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGHUP, PosixSignal.SIGQUIT }
            .Select(signal => PosixSignalRegistration.Create(signal, context =>
            {
                context.Cancel = true;
                lock (gate)
                {
                    if (child is null)
                    {
                        pending = context.Signal;
                    }
                    else
                    {
                        Forward(child, context.Signal);
                    }
                }
            }))
            .ToList();
        try
        {
            Process started;
            try
            {
                started = Process.Start(start) ?? throw new CliException($"Could not start {command[0]}.");
            }
            catch (System.ComponentModel.Win32Exception e)
            {
                throw new CliException($"Could not start {command[0]}: {e.Message}");
            }

            using (started)
            {
                lock (gate)
                {
                    child = started;
                    if (pending is { } signal)
                    {
                        Forward(child, signal);
                    }
                }

                started.WaitForExit();
                return started.ExitCode;
            }
        }
        finally
        {
            forwarding.ForEach(r => r.Dispose());
        }
    }

    private static void Forward(Process child, PosixSignal signal)
    {
        var number = signal switch
        {
            PosixSignal.SIGINT => 2,
            PosixSignal.SIGTERM => 15,
            PosixSignal.SIGHUP => 1,
            PosixSignal.SIGQUIT => 3,
            _ => 0,
        };
        if (number != 0 && !child.HasExited)
        {
            _ = Kill(child.Id, number);
        }
    }

    /// <summary>libc's kill(2): .NET can send SIGKILL to a process but no other signal.</summary>
    [DllImport("libc", EntryPoint = "kill")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Kill(int pid, int signal);
}
