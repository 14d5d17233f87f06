using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Coffer.Server.Tests.Infrastructure;

/// <summary>
/// The real `coffer` program in its own process, on a data directory, for what only a process can
/// show: that `coffer init` and `coffer server` work as documented, that kill -9 loses nothing
/// acknowledged, and that a sealed server stays sealed until unsealed.
/// </summary>
public sealed class CofferProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private CofferProcess(Process process, string endpoint)
    {
        _process = process;
        Endpoint = endpoint;
    }

    public string Endpoint { get; }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static string CofferDll => Path.Combine(AppContext.BaseDirectory, "coffer.dll");

    /// <summary>Runs a coffer command to completion (init, unseal, ...).</summary>
    public static Task<(int ExitCode, string Output)> RunAsync(IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null, string? stdin = null) =>
        ExternalClient.RunAsync("dotnet", [CofferDll, .. arguments], environment ?? new Dictionary<string, string>(), TimeSpan.FromMinutes(2), stdin);

    public static Task<CofferProcess> StartServerAsync(string dataDir, IReadOnlyDictionary<string, string>? environment = null, params string[] extraArguments) =>
        StartServerAsync(dataDir, https: false, environment, extraArguments);

    /// <summary>With <paramref name="https"/>, on an https:// address, waiting for it with a client that
    /// trusts the data directory's CA (which the first start makes).</summary>
    public static async Task<CofferProcess> StartServerAsync(string dataDir, bool https, IReadOnlyDictionary<string, string>? environment = null, params string[] extraArguments)
    {
        var endpoint = $"{(https ? "https" : "http")}://127.0.0.1:{FreePort()}";
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[] { CofferDll, "server", "--data-dir", dataDir, "--urls", endpoint }.Concat(extraArguments))
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment.Remove("COFFER_UNSEAL_PASSPHRASE");
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        var process = Process.Start(start)!;
        var server = new CofferProcess(process, endpoint);
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await server.WaitUntilListeningAsync(https ? new LazyCaTrust(Path.Combine(dataDir, "tls", "ca.pem")).Handler() : new HttpClientHandler());
        return server;
    }

    /// <summary>SIGKILL: no shutdown, no flush, exactly what a crash or the OOM killer does.</summary>
    public void KillHard()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
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

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    private async Task WaitUntilListeningAsync(HttpClientHandler handler)
    {
        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                // HasExited can be true before the redirected output's last lines are delivered; this
                // waits for both streams to end, so the message has what the server said.
                await _process.WaitForExitAsync();
                throw new InvalidOperationException($"coffer server exited with {_process.ExitCode}:\n{Output}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri(Endpoint + "/_coffer/health"));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"coffer server did not start:\n{Output}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Trusts a CA file that may not exist yet when the client is made.</summary>
    private sealed class LazyCaTrust(string caPath)
    {
        public HttpClientHandler Handler() => new()
        {
            ServerCertificateCustomValidationCallback = (_, certificate, _, _) =>
            {
                if (certificate is null || !File.Exists(caPath))
                {
                    return false;
                }

                using var ca = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificateFromFile(caPath);
                using var chain = new System.Security.Cryptography.X509Certificates.X509Chain();
                chain.ChainPolicy.TrustMode = System.Security.Cryptography.X509Certificates.X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.Add(ca);
                chain.ChainPolicy.RevocationMode = System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck;
                return chain.Build(certificate);
            },
        };
    }
}
