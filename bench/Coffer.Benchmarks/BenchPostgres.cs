using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Coffer.Benchmarks;

/// <summary>A PostgreSQL 15 for one benchmark run: initdb into a folder, pg_ctl on a free loopback
/// port, durable (fsync on, as a production server), stopped and removed at the end. As root, the
/// server runs as the postgres user, since initdb refuses root.</summary>
internal sealed class BenchPostgres : IAsyncDisposable
{
    private const string Bin = "/usr/lib/postgresql/15/bin";
    private const string Password = "coffer-bench-password";
    private readonly string _dir;
    private readonly int _port;

    private BenchPostgres(string dir, int port)
    {
        _dir = dir;
        _port = port;
    }

    private string DataDir => Path.Combine(_dir, "data");

    /// <summary>In a temporary folder of its own, which the postgres user can enter when this runs as root.</summary>
    public static async Task<BenchPostgres> StartAsync()
    {
        var dir = Directory.CreateTempSubdirectory("coffer-bench-pg-").FullName;
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var server = new BenchPostgres(dir, ((IPEndPoint)listener.LocalEndpoint).Port);
        listener.Stop();
        var passwordFile = Path.Combine(dir, "pwfile");
        await File.WriteAllTextAsync(passwordFile, Password);
        if (Environment.UserName == "root")
        {
            await RunAsync("chown", ["-R", "postgres:postgres", dir], asPostgres: false);
        }

        await RunAsync(Path.Combine(Bin, "initdb"), ["-D", server.DataDir, "-U", "postgres", "--auth=scram-sha-256", "--pwfile", passwordFile]);
        await RunAsync(Path.Combine(Bin, "pg_ctl"), ["-D", server.DataDir, "-l", Path.Combine(dir, "log"), "-w", "-o", $"-p {server._port} -k {dir} -c listen_addresses=127.0.0.1 -c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.track=all", "start"]);
        return server;
    }

    public async Task<string> CreateDatabaseAsync(string name)
    {
        await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
        await cmd.ExecuteNonQueryAsync();
        await using var inDatabase = new NpgsqlConnection(ConnectionString(name));
        await inDatabase.OpenAsync();
        await using var extension = new NpgsqlCommand("CREATE EXTENSION pg_stat_statements", inDatabase);
        await extension.ExecuteNonQueryAsync();
        return $"postgres://postgres:{Password}@127.0.0.1:{_port}/{name}";
    }

    /// <summary>Starts pg_stat_statements' counts afresh, for <see cref="TopStatementsAsync"/> to cover one measurement.</summary>
    public async Task ResetStatementsAsync()
    {
        await using var connection = new NpgsqlConnection(ConnectionString("coffer"));
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT pg_stat_statements_reset()", connection);
        await cmd.ExecuteNonQueryAsync();
    }

    /// <summary>Where PostgreSQL's execution time went since <see cref="ResetStatementsAsync"/>: the
    /// <paramref name="top"/> statements of database coffer by total time, each with its runs and its
    /// time per request (of <paramref name="requests"/>), and the statements run per request in all.</summary>
    public async Task<string> TopStatementsAsync(long requests, int top = 6)
    {
        await using var connection = new NpgsqlConnection(ConnectionString("coffer"));
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand(
            "SELECT s.query, s.calls, s.total_exec_time, sum(s.calls) OVER (), sum(s.total_exec_time) OVER () FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid " +
            "WHERE d.datname = 'coffer' AND s.query NOT LIKE '%pg_stat_statements%' ORDER BY s.total_exec_time DESC LIMIT $1", connection);
        cmd.Parameters.AddWithValue(top);
        var lines = new List<string>();
        double statements = 0, totalMs = 0;
        await using (var reader = await cmd.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                var query = string.Join(' ', reader.GetString(0).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
                statements = (double)reader.GetDecimal(3);
                totalMs = reader.GetDouble(4);
                lines.Add(string.Create(CultureInfo.InvariantCulture,
                    $"{1000 * reader.GetDouble(2) / requests:F0} µs/req in {reader.GetInt64(1) / (double)requests:F1} runs/req of {(query.Length > 90 ? query[..90] + "..." : query)}"));
            }
        }

        return string.Create(CultureInfo.InvariantCulture, $"; statements: {statements / requests:F1} a request, {1000 * totalMs / requests:F0} µs of execution a request; top: ") + string.Join("; ", lines);
    }

    /// <summary>User plus system CPU time of the postmaster and every process it started.</summary>
    public TimeSpan CpuTime()
    {
        var postmaster = int.Parse(File.ReadLines(Path.Combine(DataDir, "postmaster.pid")).First(), CultureInfo.InvariantCulture);
        long ticks = 0;
        foreach (var proc in Directory.EnumerateDirectories("/proc"))
        {
            try
            {
                var stat = File.ReadAllText(Path.Combine(proc, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                var pid = int.Parse(Path.GetFileName(proc), CultureInfo.InvariantCulture);
                if (pid == postmaster || int.Parse(fields[1], CultureInfo.InvariantCulture) == postmaster)
                {
                    ticks += long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
            {
                // Not a process, or one that ended while it was read.
            }
        }

        return TimeSpan.FromSeconds(ticks / 100.0);
    }

    /// <summary>What Coffer's backends wait on, sampled every 10 ms until cancelled: the share of
    /// samples per wait event (CPU when a busy backend waits on nothing), the top four.</summary>
    public async Task<string> SampleWaitsAsync(CancellationToken ct)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var samples = 0;
        await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        await connection.OpenAsync(CancellationToken.None);
        await using var cmd = new NpgsqlCommand(
            "SELECT coalesce(wait_event_type || ':' || wait_event, 'CPU') FROM pg_stat_activity WHERE datname = 'coffer' AND state = 'active' AND pid <> pg_backend_pid()", connection);
        while (!ct.IsCancellationRequested)
        {
            await using (var reader = await cmd.ExecuteReaderAsync(CancellationToken.None))
            {
                while (await reader.ReadAsync(CancellationToken.None))
                {
                    var key = reader.GetString(0);
                    counts[key] = counts.GetValueOrDefault(key) + 1;
                    samples++;
                }
            }

            try
            {
                await Task.Delay(10, ct);
            }
            catch (OperationCanceledException)
            {
            }
        }

        return samples == 0 ? "; no busy backend sampled" : "; waits: " + string.Join(", ", counts.OrderByDescending(p => p.Value).Take(4)
            .Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key} {100.0 * p.Value / samples:F0}%")));
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await RunAsync(Path.Combine(Bin, "pg_ctl"), ["-D", DataDir, "-m", "fast", "-w", "stop"]);
        }
        finally
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    private string ConnectionString(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = _port,
        Username = "postgres",
        Password = Password,
        Database = database,
        Pooling = false,
    }.ConnectionString;

    private static async Task RunAsync(string program, IEnumerable<string> arguments, bool asPostgres = true)
    {
        var runAsPostgres = asPostgres && Environment.UserName == "root";
        var start = new ProcessStartInfo(runAsPostgres ? "runuser" : program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in (runAsPostgres ? new[] { "-u", "postgres", "--", program } : []).Concat(arguments))
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} failed ({process.ExitCode}): {await output}{await error}");
        }
    }
}
