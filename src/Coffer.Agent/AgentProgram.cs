namespace Coffer.Agent;

/// <summary>
/// The agent as a process (<c>coffer-agent</c>, or <c>coffer agent</c>): settings and credentials
/// from the environment, then serve until SIGTERM or Ctrl-C, or, as a Lambda extension, until
/// Lambda's SHUTDOWN event. Exit codes: 0 stopped, 2 bad settings, 1 failure.
/// </summary>
public static class AgentProgram
{
    public static async Task<int> RunAsync(Func<string, string?>? environment = null, CancellationToken ct = default)
    {
        AgentOptions options;
        AwsCredentials credentials;
        try
        {
            options = AgentOptions.FromEnvironment(environment);
            credentials = AwsCredentials.Resolve(environment);
        }
        catch (AgentConfigException e)
        {
            await Console.Error.WriteLineAsync("coffer agent: " + e.Message);
            return 2;
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, c =>
        {
            c.Cancel = true;
            stop.Cancel();
        });
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };

        await using var agent = await AgentHost.StartAsync(options, credentials);
        try
        {
            if (options.LambdaRuntimeApi is { } api)
            {
                using var extension = new LambdaExtension(api, ExtensionName(), agent.Logger);
                await extension.RunAsync(stop.Token);
            }
            else
            {
                await Task.Delay(Timeout.Infinite, stop.Token);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Asked to stop.
        }
        catch (Exception e) when (e is InvalidOperationException or HttpRequestException)
        {
            Log.Failed(agent.Logger, e.Message);
            return 1;
        }

        return 0;
    }

    /// <summary>Lambda wants the extension's file name under /opt/extensions.</summary>
    private static string ExtensionName() => Path.GetFileName(Environment.ProcessPath) is { Length: > 0 } name ? name : "coffer-agent";
}
