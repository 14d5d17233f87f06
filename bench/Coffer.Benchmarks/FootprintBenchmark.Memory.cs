using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Coffer.Benchmarks;

public static partial class FootprintBenchmark
{
    /// <summary>Resident memory of the server on the seeded directory: after start, after a wrk load
    /// of each hot read, and sampled through a long read load over many distinct parameters and
    /// secrets; bare Kestrel's beside it, under the same single-request loads.</summary>
    private static async Task MemoryAsync(string dataDir, string[] exe, int seconds, int minutes, int sample, int distinct)
    {
        var fixture = Fixture.Read(dataDir);
        var scratch = Directory.CreateTempSubdirectory("coffer-memory-").FullName;
        try
        {
            var probe = $"{{\"Name\":\"{fixture.SecureParameter(1)}\",\"WithDecryption\":true}}";
            using var bare = ChildServer.Launch(Self("serve-bare", "http://127.0.0.1:{port}"));
            await bare.FirstAnswerAsync(url => new HttpRequestMessage(HttpMethod.Post, url + "/") { Content = new StringContent(probe) }, (r, _) => r.IsSuccessStatusCode, TimeSpan.FromMinutes(2));
            using var coffer = ChildServer.Launch([.. exe, "server", "--data-dir", dataDir, "--urls", "http://127.0.0.1:{port}"]);
            await coffer.FirstAnswerAsync(url => LoadBenchmark.Signed(url, fixture.Root, "AmazonSSM.GetParameter", probe, "ssm"), (r, _) => r.IsSuccessStatusCode, TimeSpan.FromMinutes(2));
            if (fixture.Blob.Length == 0)
            {
                // A fixture written by hand for a seed stopped early: a key and a blob for Decrypt.
                using var http = new HttpClient();
                var keyId = await LoadBenchmark.CallAsync(http, coffer.Url, fixture.Root, "TrentService.CreateKey", "{}", "\"KeyId\":\"");
                fixture = fixture with { Blob = await LoadBenchmark.CallAsync(http, coffer.Url, fixture.Root, "TrentService.Encrypt",
                    $"{{\"KeyId\":\"{keyId}\",\"Plaintext\":\"{Convert.ToBase64String(Encoding.UTF8.GetBytes("Top Secret"))}\"}}", "\"CiphertextBlob\":\"") };
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"memory: {fixture.Parameters} parameters, {fixture.Secrets} secrets; server command {string.Join(' ', exe)}; {Environment.ProcessorCount} cores, load average {LoadAverage()}"));
            Console.WriteLine($"after start: Coffer {Mib(coffer.Memory().Rss)}, bare Kestrel {Mib(bare.Memory().Rss)}");

            // One hot read at a time, replayed by wrk as in the wrk command: 32 connections.
            foreach (var (name, service, target, body) in HotReads(fixture))
            {
                var bareRun = await WrkAsync(scratch, bare.Url, [Raw(bare.Url, null, service, target, body)], 32, seconds);
                var cofferRun = await WrkAsync(scratch, coffer.Url, [Raw(coffer.Url, fixture, service, target, body)], 32, seconds);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{name}, {seconds} s: bare {bareRun.PerSecond:F0} req/s; Coffer {cofferRun.PerSecond:F0} req/s (non-2xx {cofferRun.Non2xx}); RSS after: Coffer {Mib(coffer.Memory().Rss)}, bare {Mib(bare.Memory().Rss)}"));
            }

            var (afterLoad, _) = coffer.Memory();
            var (bareAfterLoad, _) = bare.Memory();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"after the wrk loads: Coffer RSS {Mib(afterLoad)}, bare Kestrel {Mib(bareAfterLoad)} ({afterLoad / (double)bareAfterLoad:F2}×)"));
            bare.Dispose();

            if (minutes <= 0)
            {
                return;
            }

            // The long load: random reads over `distinct` parameters and secrets, re-signed every
            // minute (a signature is good for five), RSS sampled all along.
            var series = new List<(double Seconds, long Rss)>();
            var clock = Stopwatch.StartNew();
            using var stop = new CancellationTokenSource();
            var sampler = Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    lock (series)
                    {
                        series.Add((clock.Elapsed.TotalSeconds, coffer.Memory().Rss));
                    }

                    try
                    {
                        await Task.Delay(TimeSpan.FromSeconds(sample), stop.Token);
                    }
                    catch (OperationCanceledException)
                    {
                    }
                }
            });

            var cpuBefore = coffer.CpuTime();
            long requests = 0, errors = 0;
            var until = TimeSpan.FromMinutes(minutes);
            var segment = 0;
            while (clock.Elapsed < until)
            {
                var length = (int)Math.Max(1, Math.Min(60, (until - clock.Elapsed).TotalSeconds));
                var set = ReadSet(fixture, distinct).Select(r => Raw(coffer.Url, fixture, r.Service, r.Target, r.Body)).ToList();
                var run = await WrkAsync(scratch, coffer.Url, set, 32, length);
                requests += run.Requests;
                errors += run.Non2xx;
                segment++;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  minute {segment}: {run.PerSecond:F0} req/s over {set.Count} distinct reads, non-2xx {run.Non2xx}, RSS {Mib(coffer.Memory().Rss)}"));
            }

            await stop.CancelAsync();
            await sampler;
            var cpu = coffer.CpuTime() - cpuBefore;
            var (end, peak) = coffer.Memory();
            var max = series.MaxBy(s => s.Rss);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"read load, {minutes} min over {distinct} distinct reads: {requests} requests ({errors} non-2xx), {cpu.TotalMicroseconds / Math.Max(1, requests):F0} µs CPU per request; RSS sampled every {sample} s ({series.Count} samples): start {Mib(series[0].Rss)}, max {Mib(max.Rss)} at {max.Seconds:F0} s, end {Mib(end)}; peak (VmHWM) {Mib(peak)}; load average {LoadAverage()}"));
            Console.WriteLine("series (s, MiB): " + string.Join(' ', series.Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Seconds:F0}:{s.Rss / 1024.0:F0}"))));
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    private static string Mib(long kilobytes) => string.Create(CultureInfo.InvariantCulture, $"{kilobytes / 1024.0:F1} MiB");

    private static IEnumerable<(string Name, string Service, string Target, string Body)> HotReads(Fixture fixture)
    {
        yield return ("KMS Decrypt", "kms", "TrentService.Decrypt", $"{{\"CiphertextBlob\":\"{fixture.Blob}\"}}");
        yield return ("SSM GetParameter (WithDecryption)", "ssm", "AmazonSSM.GetParameter", $"{{\"Name\":\"{fixture.SecureParameter(fixture.Parameters / fixture.SecureEvery / 2)}\",\"WithDecryption\":true}}");
        yield return ("Secrets Manager GetSecretValue", "secretsmanager", "secretsmanager.GetSecretValue", $"{{\"SecretId\":\"{SecretName(fixture.Secrets / 2 + 1)}\"}}");
    }

    /// <summary><paramref name="count"/> distinct hot reads: three in four a SecureString parameter, one in four a secret, one in a hundred a Decrypt.</summary>
    private static IEnumerable<(string Service, string Target, string Body)> ReadSet(Fixture fixture, int count)
    {
        var secure = fixture.Parameters / fixture.SecureEvery;
        for (var i = 0; i < count; i++)
        {
            yield return i % 100 == 0 ? ("kms", "TrentService.Decrypt", $"{{\"CiphertextBlob\":\"{fixture.Blob}\"}}")
                : i % 4 == 3 ? ("secretsmanager", "secretsmanager.GetSecretValue", $"{{\"SecretId\":\"{SecretName(i / 4 % fixture.Secrets)}\"}}")
                : ("ssm", "AmazonSSM.GetParameter", $"{{\"Name\":\"{fixture.SecureParameter(i % secure)}\",\"WithDecryption\":true}}");
        }
    }

    /// <summary>One HTTP/1.1 request as wrk sends it: signed for <paramref name="fixture"/>'s root, or unsigned (bare Kestrel).</summary>
    private static string Raw(string url, Fixture? fixture, string service, string target, string body)
    {
        using var request = fixture is null
            ? new HttpRequestMessage(HttpMethod.Post, new Uri(url + "/")) { Content = new StringContent(body) }
            : LoadBenchmark.Signed(url, fixture.Root, target, body, service);
        var raw = new StringBuilder("POST / HTTP/1.1\r\n");
        if (fixture is null)
        {
            raw.Append("Host: ").Append(new Uri(url).Authority).Append("\r\n");
        }

        foreach (var header in request.Headers.Concat(request.Content!.Headers).Where(h => !h.Key.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)))
        {
            raw.Append(header.Key).Append(": ").Append(string.Join(",", header.Value)).Append("\r\n");
        }

        return raw.Append("Content-Length: ").Append(Encoding.UTF8.GetByteCount(body)).Append("\r\n\r\n").Append(body).ToString();
    }

    private sealed record WrkRun(double PerSecond, long Requests, long Non2xx);

    /// <summary>Runs wrk for <paramref name="seconds"/> with a script that sends one of <paramref name="requests"/> at random each time.</summary>
    private static async Task<WrkRun> WrkAsync(string scratch, string url, IReadOnlyList<string> requests, int connections, int seconds)
    {
        var data = Path.Combine(scratch, "requests.txt");
        await using (var file = new StreamWriter(data, append: false, new UTF8Encoding(false)))
        {
            foreach (var request in requests)
            {
                await file.WriteAsync(Encoding.UTF8.GetByteCount(request).ToString(CultureInfo.InvariantCulture) + "\n" + request);
            }
        }

        var script = Path.Combine(scratch, "requests.lua");
        await File.WriteAllTextAsync(script, LuaReader.Replace("DATA", data, StringComparison.Ordinal));
        var start = new ProcessStartInfo("wrk") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "-t" + Math.Min(Environment.ProcessorCount, connections), "-c" + connections, "-d" + seconds + "s", "-s", script, url })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("wrk did not start (apt-get install wrk)");
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        var total = Regex.Match(output, @"(\d+) requests in");
        if (!total.Success)
        {
            throw new InvalidOperationException("wrk: " + output + await process.StandardError.ReadToEndAsync());
        }

        var non2xx = Regex.Match(output, @"Non-2xx or 3xx responses:\s+(\d+)");
        return new WrkRun(
            double.Parse(Regex.Match(output, @"Requests/sec:\s+([\d.]+)").Groups[1].Value, CultureInfo.InvariantCulture),
            long.Parse(total.Groups[1].Value, CultureInfo.InvariantCulture),
            non2xx.Success ? long.Parse(non2xx.Groups[1].Value, CultureInfo.InvariantCulture) : 0);
    }

    /// <summary>wrk's script: reads the length-prefixed raw requests once per thread, sends one at random.</summary>
    private const string LuaReader = """
        local requests = {}
        local f = assert(io.open("DATA", "rb"))
        local data = f:read("*a")
        f:close()
        local pos = 1
        while pos <= #data do
          local nl = string.find(data, "\n", pos, true)
          local len = tonumber(string.sub(data, pos, nl - 1))
          requests[#requests + 1] = string.sub(data, nl + 1, nl + len)
          pos = nl + len + 1
        end
        local n = #requests
        request = function() return requests[math.random(n)] end
        """;
}
