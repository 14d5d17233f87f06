using System.Diagnostics;
using System.Globalization;
using System.Text;
using Coffer.Server.Hosting;

namespace Coffer.Benchmarks;

public static partial class WrkBenchmark
{
    /// <summary>One request replayed by wrk.</summary>
    private sealed record Operation(string Name, string Service, string Target, Func<string, string> Body, bool IsWrite);

    private static class Operations
    {
        public static IEnumerable<Operation> All(int seeded)
        {
            var middle = seeded / 2;
            var kilobyte = new string('v', 1024);
            yield return new("KMS Decrypt", "kms", "TrentService.Decrypt", _ => $"{{\"CiphertextBlob\":\"{Seeding.Blob}\"}}", false);
            yield return new("SSM GetParameter (WithDecryption)", "ssm", "AmazonSSM.GetParameter", _ => $"{{\"Name\":\"{Seeding.ParameterName(middle)}\",\"WithDecryption\":true}}", false);
            yield return new("Secrets Manager GetSecretValue", "secretsmanager", "secretsmanager.GetSecretValue", _ => $"{{\"SecretId\":\"{Seeding.SecretName(Math.Max(0, Seeding.Secrets / 2))}\"}}", false);
            yield return new("SSM PutParameter (1 KB SecureString, overwrite)", "ssm", "AmazonSSM.PutParameter", _ => $"{{\"Name\":\"/bench/put\",\"Type\":\"SecureString\",\"Overwrite\":true,\"Value\":\"{kilobyte}\"}}", true);
        }
    }

    /// <summary>Fills the store through the API, as users would, with many clients at once.</summary>
    private static class Seeding
    {
        public static string Blob { get; private set; } = "";

        public static int Secrets { get; private set; }

        public static string ParameterName(int i) => string.Create(CultureInfo.InvariantCulture, $"/app/stage{i % 10}/service{i / 1000 % 100}/p{i:D6}");

        /// <summary>The first <see cref="StandardParameters"/> are standard, the rest advanced: an
        /// account holds at most 10,000 standard parameters, as on AWS, and the put measured makes one more.</summary>
        private static string Tier(int i) => i < StandardParameters ? "" : ",\"Tier\":\"Advanced\"";

        private const int StandardParameters = 5_000;

        public static string SecretName(int i) => string.Create(CultureInfo.InvariantCulture, $"stage{i % 10}/service{i / 100 % 100}/s{i:D5}");

        public static async Task<TimeSpan> SeedAsync(string endpoint, RootCredentials root, int parameters, int secrets)
        {
            Secrets = secrets;
            var started = Stopwatch.StartNew();
            using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 32 });
            var keyId = await LoadBenchmark.CallAsync(http, endpoint, root, "TrentService.CreateKey", "{}", "\"KeyId\":\"");
            Blob = await LoadBenchmark.CallAsync(http, endpoint, root, "TrentService.Encrypt", $"{{\"KeyId\":\"{keyId}\",\"Plaintext\":\"{Convert.ToBase64String(Encoding.UTF8.GetBytes("Top Secret"))}\"}}", "\"CiphertextBlob\":\"");
            await ParallelAsync(parameters, i => (http, LoadBenchmark.Signed(endpoint, root, "AmazonSSM.PutParameter",
                $"{{\"Name\":\"{ParameterName(i)}\",\"Type\":\"SecureString\",\"Value\":\"value {i}\"{Tier(i)}}}", "ssm")));
            await ParallelAsync(secrets, i => (http, LoadBenchmark.Signed(endpoint, root, "secretsmanager.CreateSecret",
                $"{{\"Name\":\"{SecretName(i)}\",\"SecretString\":\"secret {i}\"}}", "secretsmanager")));
            return started.Elapsed;
        }

        private static async Task ParallelAsync(int count, Func<int, (HttpClient Http, HttpRequestMessage Request)> make)
        {
            await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, cancellationToken) =>
            {
                var (http, request) = make(i);
                using (request)
                using (var response = await http.SendAsync(request, cancellationToken))
                {
                    if (!response.IsSuccessStatusCode)
                    {
                        throw new InvalidOperationException($"seeding failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
                    }
                }
            });
        }
    }

    /// <summary>A server in a child process of this program, so its CPU time is its own.</summary>
    private sealed class ServerProcess : IDisposable
    {
        private readonly Process _process;

        private ServerProcess(Process process, string url)
        {
            _process = process;
            Url = url;
        }

        public string Url { get; }

        public static ServerProcess Start(params string[] arguments)
        {
            var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardInput = true, RedirectStandardOutput = true };
            var entry = typeof(WrkBenchmark).Assembly.Location;
            // Run through the dotnet host (`dotnet Coffer.Benchmarks.dll`), the child needs the entry
            // assembly named; run as the apphost, it must not get it, or it reads it as its first argument.
            if (Path.GetFileNameWithoutExtension(Environment.ProcessPath!).Equals("dotnet", StringComparison.Ordinal))
            {
                start.ArgumentList.Add(entry);
            }

            foreach (var argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }

            var process = Process.Start(start)!;
            string? line;
            while ((line = process.StandardOutput.ReadLine()) is not null && !line.StartsWith("URL ", StringComparison.Ordinal))
            {
            }

            return new ServerProcess(process, line?[4..] ?? throw new InvalidOperationException($"{arguments[0]} did not start"));
        }

        /// <summary>User plus system CPU time of the process, from /proc/PID/stat.</summary>
        public TimeSpan CpuTime()
        {
            var stat = File.ReadAllText($"/proc/{_process.Id}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            // Fields 14 and 15 of stat(5) (utime, stime), counted from after the command name.
            var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            return TimeSpan.FromSeconds(ticks / 100.0);
        }

        public void Dispose()
        {
            _process.StandardInput.Close();
            if (!_process.WaitForExit(10_000))
            {
                _process.Kill(entireProcessTree: true);
            }

            _process.Dispose();
        }
    }
}

/// <summary>
/// Where a paced run's tail is, from the server's own histograms (its /_coffer/metrics, scraped from
/// loopback before and after): the share of calls, and of their audit appends (queued behind the
/// single writer and committed), that took longer than 2.5 and 5 ms.
/// </summary>
internal static partial class ServerHistograms
{
    private static readonly string[] Names = ["coffer_call_duration_seconds", "coffer_audit_append_duration_seconds"];

    public static async Task<Dictionary<(string Name, string Le), double>> ScrapeAsync(string endpoint)
    {
        using var http = new HttpClient();
        var text = await http.GetStringAsync(endpoint.TrimEnd('/') + "/_coffer/metrics");
        var buckets = new Dictionary<(string, string), double>();
        foreach (var line in text.Split('\n'))
        {
            if (Bucket().Match(line) is { Success: true } m && Names.Contains(m.Groups[1].Value))
            {
                var key = (m.Groups[1].Value, m.Groups[2].Value);
                buckets[key] = buckets.GetValueOrDefault(key) + double.Parse(m.Groups[3].Value, System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return buckets;
    }

    public static string Tail(Dictionary<(string Name, string Le), double> before, Dictionary<(string Name, string Le), double> after)
    {
        double Count(string name, string le) => after.GetValueOrDefault((name, le)) - before.GetValueOrDefault((name, le));
        string Over(string name, string le) =>
            Count(name, "+Inf") is > 0 and var all ? (100 * (all - Count(name, le)) / all).ToString("F2", System.Globalization.CultureInfo.InvariantCulture) + " %" : "n/a";
        return $"server side: calls over 2.5 ms {Over(Names[0], "0.0025")}, over 5 ms {Over(Names[0], "0.005")}; their audit appends over 2.5 ms {Over(Names[1], "0.0025")}, over 5 ms {Over(Names[1], "0.005")}";
    }

    [System.Text.RegularExpressions.GeneratedRegex("^([a-z_]+)_bucket\\{[^}]*le=\"([^\"]+)\"[^}]*\\} ([0-9.eE+-]+)")]
    private static partial System.Text.RegularExpressions.Regex Bucket();
}
