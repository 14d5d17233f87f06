using System.Globalization;
using Coffer.Server.Hosting;

namespace Coffer.Benchmarks;

public static partial class FootprintBenchmark
{
    /// <summary>Time from exec to the first answered request: bare Kestrel (this program's
    /// <c>serve-bare</c>), the server on an empty data directory and on the seeded one, alternately.</summary>
    private static async Task StartAsync(string dataDir, string[] exe, int runs)
    {
        var fixture = Fixture.Read(dataDir);
        var emptyDir = Directory.CreateTempSubdirectory("coffer-start-empty-").FullName;
        try
        {
            var emptyRoot = await DataDirectory.InitializeAsync(emptyDir, null, null);
            var body = $"{{\"Name\":\"{fixture.SecureParameter(1)}\",\"WithDecryption\":true}}";
            var cases = new (string Name, string[] Command, Func<string, HttpRequestMessage> Make, Func<HttpResponseMessage, string, bool> Accept)[]
            {
                ("bare Kestrel: exec to an answered POST", Self("serve-bare", "http://127.0.0.1:{port}"),
                    url => new HttpRequestMessage(HttpMethod.Post, url + "/") { Content = new StringContent(body) },
                    (response, _) => response.IsSuccessStatusCode),
                ("coffer server, empty data directory: exec to a signed GetParameter answered (ParameterNotFound)", [.. exe, "server", "--data-dir", emptyDir, "--urls", "http://127.0.0.1:{port}"],
                    url => LoadBenchmark.Signed(url, emptyRoot, "AmazonSSM.GetParameter", body, "ssm"),
                    (response, text) => (int)response.StatusCode == 400 && text.Contains("ParameterNotFound", StringComparison.Ordinal)),
                ("coffer server, seeded data directory: exec to a signed GetParameter (WithDecryption) answered", [.. exe, "server", "--data-dir", dataDir, "--urls", "http://127.0.0.1:{port}"],
                    url => LoadBenchmark.Signed(url, fixture.Root, "AmazonSSM.GetParameter", body, "ssm"),
                    (response, text) => response.IsSuccessStatusCode && text.Contains("\"Value\":\"value-", StringComparison.Ordinal)),
            };

            var size = Directory.EnumerateFiles(dataDir, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"start: {runs} runs of each after one uncounted warm-up; seeded directory {dataDir}: {fixture.Parameters} parameters, {fixture.Secrets} secrets, {size / 1048576.0:F1} MiB; server command: {string.Join(' ', exe)}; {Environment.ProcessorCount} cores, load average {LoadAverage()}"));
            var times = cases.Select(_ => new List<double>()).ToArray();
            for (var run = 0; run <= runs; run++)
            {
                for (var c = 0; c < cases.Length; c++)
                {
                    using var server = ChildServer.Launch(cases[c].Command);
                    var elapsed = await server.FirstAnswerAsync(cases[c].Make, cases[c].Accept, TimeSpan.FromMinutes(2));
                    if (run > 0)
                    {
                        times[c].Add(elapsed.TotalMilliseconds);
                        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  run {run}, {cases[c].Name}: {elapsed.TotalMilliseconds:F0} ms"));
                    }
                }
            }

            Console.WriteLine();
            Console.WriteLine($"| start (load average {LoadAverage()} at the end) | median | min | max | / bare Kestrel | / empty directory |");
            Console.WriteLine("|---|---:|---:|---:|---:|---:|");
            var bare = Median(times[0]);
            var empty = Median(times[1]);
            for (var c = 0; c < cases.Length; c++)
            {
                var median = Median(times[c]);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {cases[c].Name} | {median:F0} ms | {times[c].Min():F0} ms | {times[c].Max():F0} ms | {median / bare:F2} | {median / empty:F2} |"));
            }
        }
        finally
        {
            Directory.Delete(emptyDir, recursive: true);
        }
    }

    internal static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
}
