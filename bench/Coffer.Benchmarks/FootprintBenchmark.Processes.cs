using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Coffer.Benchmarks;

public static partial class FootprintBenchmark
{
    /// <summary>The machine's load average over the last minute, from /proc/loadavg.</summary>
    internal static string LoadAverage() => File.ReadAllText("/proc/loadavg").Split(' ')[0];

    internal static int FreePort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    /// <summary>This benchmark program, as a command that runs <paramref name="arguments"/>.</summary>
    internal static string[] Self(params string[] arguments)
    {
        var self = Environment.ProcessPath!;
        // Through the dotnet host the entry assembly must be named; as the apphost it must not be.
        return Path.GetFileNameWithoutExtension(self).Equals("dotnet", StringComparison.Ordinal)
            ? [self, typeof(FootprintBenchmark).Assembly.Location, .. arguments]
            : [self, .. arguments];
    }

    /// <summary>A server in a child process, started on a port chosen here, its output dropped.</summary>
    internal sealed class ChildServer : IDisposable
    {
        private const int SigTerm = 15;
        private readonly Process _process;
        private bool _disposed;

        private ChildServer(Process process, int port, long startedAt)
        {
            _process = process;
            Port = port;
            StartedAt = startedAt;
        }

        public int Port { get; }

        public string Url => string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{Port}");

        /// <summary>The <see cref="Stopwatch"/> timestamp just before the process was started.</summary>
        public long StartedAt { get; }

        /// <summary>Starts <paramref name="command"/>, with <c>{port}</c> in its arguments replaced by a free port.</summary>
        public static ChildServer Launch(string[] command)
        {
            var port = FreePort();
            var start = new ProcessStartInfo(command[0]) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
            foreach (var argument in command[1..])
            {
                start.ArgumentList.Add(argument.Replace("{port}", port.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal));
            }

            var startedAt = Stopwatch.GetTimestamp();
            var process = Process.Start(start) ?? throw new InvalidOperationException($"{command[0]} did not start");
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            return new ChildServer(process, port, startedAt);
        }

        /// <summary>Sends <paramref name="make"/>'s request every 5 ms until <paramref name="accept"/> takes an
        /// answer; the time from the process's start to that answer.</summary>
        public async Task<TimeSpan> FirstAnswerAsync(Func<string, HttpRequestMessage> make, Func<HttpResponseMessage, string, bool> accept, TimeSpan timeout)
        {
            using var http = new HttpClient(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(1), PooledConnectionLifetime = TimeSpan.Zero });
            while (true)
            {
                if (_process.HasExited)
                {
                    throw new InvalidOperationException($"the server exited ({_process.ExitCode}) before answering");
                }

                if (Stopwatch.GetElapsedTime(StartedAt) > timeout)
                {
                    throw new TimeoutException($"no answer within {timeout}");
                }

                try
                {
                    using var request = make(Url);
                    using var response = await http.SendAsync(request);
                    var body = await response.Content.ReadAsStringAsync();
                    var at = Stopwatch.GetElapsedTime(StartedAt);
                    if (accept(response, body))
                    {
                        return at;
                    }

                    if ((int)response.StatusCode != 503)
                    {
                        throw new InvalidOperationException($"unexpected answer {(int)response.StatusCode}: {body}");
                    }
                }
                catch (HttpRequestException)
                {
                    // Not listening yet.
                }

                await Task.Delay(5);
            }
        }

        /// <summary>Resident set size (VmRSS) and its peak (VmHWM), in KiB, from /proc/PID/status.</summary>
        public (long Rss, long Peak) Memory()
        {
            long rss = 0, peak = 0;
            foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    rss = Kilobytes(line);
                }
                else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    peak = Kilobytes(line);
                }
            }

            return (rss, peak);

            static long Kilobytes(string line) => long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        }

        /// <summary>User plus system CPU time, from /proc/PID/stat.</summary>
        public TimeSpan CpuTime()
        {
            var stat = File.ReadAllText($"/proc/{_process.Id}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            return TimeSpan.FromSeconds(ticks / 100.0);
        }

        /// <summary>Stops the server as an operator would (SIGTERM), so the next start finds a cleanly closed directory.</summary>
        public void Dispose()
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            if (!_process.HasExited)
            {
                _ = Kill(_process.Id, SigTerm);
                _process.StandardInput.Close();
                if (!_process.WaitForExit(30_000))
                {
                    _process.Kill(entireProcessTree: true);
                }
            }

            _process.Dispose();
        }

        [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
        private static extern int Kill(int pid, int signal);
    }
}
