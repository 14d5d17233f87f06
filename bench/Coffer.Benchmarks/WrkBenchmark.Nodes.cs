using System.Globalization;
using Coffer.Server.Hosting;

namespace Coffer.Benchmarks;

/// <summary>
/// Issue 10's measurement: one SQLite node against one, two and three nodes on one PostgreSQL 15,
/// all started by this run, loaded in turn by <c>wrk</c> in alternating rounds so that every figure
/// is a ratio to the SQLite node measured in the same round. Reads are SSM GetParameter with
/// decryption, the total connections split evenly over the nodes (one wrk per node); durable writes
/// are SSM PutParameter (1 KB SecureString, overwriting one parameter) with 8 and 32 clients. CPU
/// time per request is read from /proc for the nodes and for every PostgreSQL process, and
/// PostgreSQL's wait events are sampled during its runs, and pg_stat_statements says which statements
/// took its execution time: that is what says what limits each. Usage:
///   dotnet run -c Release --project bench/Coffer.Benchmarks -- nodes [--seconds 3] [--rounds 2]
///     [--connections 32] [--params 1000]
/// </summary>
public static partial class WrkBenchmark
{
    public static async Task<int> RunNodesAsync(string[] args)
    {
        var seconds = LoadBenchmark.Option(args, "--seconds", 3);
        var rounds = LoadBenchmark.Option(args, "--rounds", 2);
        var connections = LoadBenchmark.Option(args, "--connections", 32);
        var parameterCount = LoadBenchmark.Option(args, "--params", 1000);
        var scratch = Directory.CreateTempSubdirectory("coffer-nodes-").FullName;
        try
        {
            await using var postgres = await BenchPostgres.StartAsync();
            var sqliteDir = Path.Combine(scratch, "sqlite");
            var sqliteRoot = await DataDirectory.InitializeAsync(sqliteDir, null, null);
            var pgStore = await postgres.CreateDatabaseAsync("coffer");
            var pgDirs = Enumerable.Range(1, 3).Select(n => Path.Combine(scratch, $"node{n}")).ToList();
            var pgRoot = await DataDirectory.InitializeAsync(pgDirs[0], null, null, store: pgStore);
            CopyDataDirectory(pgDirs[0], pgDirs[1]);
            CopyDataDirectory(pgDirs[0], pgDirs[2]);

            using var sqlite = ServerProcess.Start("serve-coffer", sqliteDir);
            var nodes = pgDirs.Select(d => ServerProcess.Start("serve-coffer", d, pgStore)).ToList();
            try
            {
                await Seeding.SeedAsync(sqlite.Url, sqliteRoot, parameterCount, 0);
                await Seeding.SeedAsync(nodes[0].Url, pgRoot, parameterCount, 0);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"nodes: {connections} read connections split over the nodes, {seconds} s per measurement, {rounds} rounds, {parameterCount} parameters in each store; {Environment.ProcessorCount} cores; PostgreSQL 15 with fsync on"));
                var read = Operations.All(parameterCount).Single(o => o.Name.StartsWith("SSM GetParameter", StringComparison.Ordinal));
                var write = Operations.All(parameterCount).Single(o => o.IsWrite);
                var cases = new List<(string Name, Operation Op, bool Postgres, int Nodes, int Clients)>
                {
                    ("GetParameter (WithDecryption), SQLite, 1 node", read, false, 1, connections),
                    ("GetParameter (WithDecryption), PostgreSQL, 1 node", read, true, 1, connections),
                    ("GetParameter (WithDecryption), PostgreSQL, 2 nodes", read, true, 2, connections),
                    ("GetParameter (WithDecryption), PostgreSQL, 3 nodes", read, true, 3, connections),
                    ("PutParameter, SQLite, 8 clients", write, false, 1, 8),
                    ("PutParameter, PostgreSQL, 1 node, 8 clients", write, true, 1, 8),
                    ("PutParameter, SQLite, 32 clients", write, false, 1, 32),
                    ("PutParameter, PostgreSQL, 1 node, 32 clients", write, true, 1, 32),
                    ("PutParameter, PostgreSQL, 3 nodes, 32 clients", write, true, 3, 32),
                };
                var results = cases.ToDictionary(c => c.Name, _ => new List<NodesMeasurement>());
                for (var round = 1; round <= rounds; round++)
                {
                    foreach (var c in cases)
                    {
                        var targets = c.Postgres ? nodes.Take(c.Nodes).ToList() : [sqlite];
                        var measured = await MeasureNodesAsync(targets, c.Postgres ? postgres : null, scratch, c.Op, c.Postgres ? pgRoot : sqliteRoot, c.Clients, seconds);
                        results[c.Name].Add(measured);
                        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                            $"{c.Name}, round {round}: {measured.PerSecond:F0} req/s (p99 {measured.P99Ms:F2} ms, non-2xx {measured.Errors}), nodes {measured.NodeCpuMicros:F0} µs + PostgreSQL {measured.PostgresCpuMicros:F0} µs CPU/req{measured.Waits}"));
                    }
                }

                PrintNodesTable(cases.Select(c => c.Name).ToList(), results, rounds);
            }
            finally
            {
                foreach (var node in nodes)
                {
                    node.Dispose();
                }
            }

            return 0;
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    private sealed record NodesMeasurement(double PerSecond, double P99Ms, long Errors, double NodeCpuMicros, double PostgresCpuMicros, string Waits);

    /// <summary>One wrk per node at once, the clients split evenly; the figures summed over the nodes.</summary>
    private static async Task<NodesMeasurement> MeasureNodesAsync(List<ServerProcess> nodes, BenchPostgres? postgres, string scratch, Operation op, RootCredentials root, int clients, int seconds)
    {
        var scripts = new List<(string Script, string Url)>();
        foreach (var (node, i) in nodes.Select((n, i) => (n, i)))
        {
            var request = LoadBenchmark.Signed(node.Url, root, op.Target, op.Body(node.Url), op.Service);
            var headers = request.Headers.ToDictionary(h => h.Key, h => string.Join(",", h.Value));
            headers["Content-Type"] = "application/x-amz-json-1.1";
            var script = Path.Combine(scratch, $"node{i}.lua");
            await File.WriteAllTextAsync(script, LuaScript("POST", headers, op.Body(node.Url)));
            scripts.Add((script, node.Url));
        }

        var perNode = Math.Max(1, clients / nodes.Count);
        await Task.WhenAll(scripts.Select(s => RunWrkAsync(["-t1", "-c" + perNode, "-d1s", "-s", s.Script, s.Url])));
        var nodeCpu = nodes.Select(n => n.CpuTime()).ToList();
        var pgCpu = postgres?.CpuTime() ?? TimeSpan.Zero;
        if (postgres is not null)
        {
            await postgres.ResetStatementsAsync();
        }

        using var sampling = new CancellationTokenSource();
        var waits = postgres?.SampleWaitsAsync(sampling.Token) ?? Task.FromResult("");
        var outputs = await Task.WhenAll(scripts.Select(s => RunWrkAsync(["-t1", "-c" + perNode, "-d" + seconds + "s", "--latency", "-s", s.Script, s.Url])));
        await sampling.CancelAsync();
        var nodeUsed = nodes.Select((n, i) => n.CpuTime() - nodeCpu[i]).Aggregate(TimeSpan.Zero, (a, b) => a + b);
        var pgUsed = (postgres?.CpuTime() ?? TimeSpan.Zero) - pgCpu;
        var requests = Math.Max(1, outputs.Sum(o => long.Parse(TotalRequests().Match(o).Groups[1].Value, CultureInfo.InvariantCulture)));
        var statements = postgres is null ? "" : await postgres.TopStatementsAsync(requests);
        return new NodesMeasurement(
            outputs.Sum(o => double.Parse(PerSecond().Match(o).Groups[1].Value, CultureInfo.InvariantCulture)),
            outputs.Max(o => Percentile(o, "99")),
            outputs.Sum(o => Non2xx().Match(o) is { Success: true } m ? long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : 0),
            nodeUsed.TotalMicroseconds / requests,
            pgUsed.TotalMicroseconds / requests,
            await waits + statements);
    }

    private static void PrintNodesTable(List<string> names, Dictionary<string, List<NodesMeasurement>> results, int rounds)
    {
        Console.WriteLine();
        Console.WriteLine("| measurement | req/s / SQLite node's (median) | req/s (last round) | p99 | nodes' CPU per request | PostgreSQL's CPU per request |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|");
        foreach (var name in names)
        {
            var baselineName = name.StartsWith("GetParameter", StringComparison.Ordinal) ? names[0] : name.Contains("8 clients", StringComparison.Ordinal) ? names[4] : names[6];
            var ratios = Enumerable.Range(0, rounds).Select(r => results[name][r].PerSecond / results[baselineName][r].PerSecond).ToList();
            var last = results[name][^1];
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {name} | {Median(ratios):F2} | {last.PerSecond:F0} | {last.P99Ms:F2} ms | {last.NodeCpuMicros:F0} µs | {last.PostgresCpuMicros:F0} µs |"));
        }
    }

    private static void CopyDataDirectory(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(from, file);
            if (relative.StartsWith(DataDirectoryLock.FileName, StringComparison.Ordinal) || relative == DataDirectory.CredentialsFileName)
            {
                continue;
            }

            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(to, relative))!);
            File.Copy(file, Path.Combine(to, relative));
        }
    }
}
