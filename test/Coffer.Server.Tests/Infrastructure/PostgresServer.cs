using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Coffer.Server.Tests.Infrastructure;

/// <summary>
/// A real PostgreSQL 15 server for one test class: initdb into a temporary folder (as the postgres
/// user when the tests run as root, since initdb refuses root), SCRAM authentication, a free loopback
/// port; stopped and removed at the end. Tests may stop and start it to make a database unreachable.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    public const string SuperuserPassword = "coffer-pg-superuser-password";
    private const string Bin = "/usr/lib/postgresql/15/bin";
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("coffer-pg-");

    /// <summary>Whether the PostgreSQL 15 binaries are here; tests that need them are skipped without (see StoreFactAttribute).</summary>
    public static bool Installed => File.Exists(Path.Combine(Bin, "initdb"));

    public int Port { get; } = FreePort();

    /// <summary>A store URL for <paramref name="database"/> as the superuser.</summary>
    public string StoreUrl(string database) => $"postgres://postgres:{SuperuserPassword}@127.0.0.1:{Port}/{database}";

    /// <summary>Makes an empty database with a fresh name and returns its store URL.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = "coffer_" + Guid.NewGuid().ToString("N")[..12];
        await ExecuteAsSuperuserAsync($"CREATE DATABASE {name}");
        return StoreUrl(name);
    }

    private string DataDir => Path.Combine(_dir.FullName, "data");

    public async Task InitializeAsync()
    {
        if (!File.Exists(Path.Combine(Bin, "initdb")))
        {
            throw new InvalidOperationException($"PostgreSQL 15 is not installed in {Bin}; .ci/run installs it.");
        }

        var passwordFile = Path.Combine(_dir.FullName, "pwfile");
        await File.WriteAllTextAsync(passwordFile, SuperuserPassword);
        if (Environment.UserName == "root")
        {
            await RunAsync("chown", ["-R", "postgres:postgres", _dir.FullName], asPostgres: false);
        }

        await RunAsync(Path.Combine(Bin, "initdb"), ["-D", DataDir, "-U", "postgres", "--auth=scram-sha-256", "--pwfile", passwordFile, "--no-sync"]);
        await StartAsync();
    }

    public Task StartAsync() => RunAsync(Path.Combine(Bin, "pg_ctl"),
        ["-D", DataDir, "-l", Path.Combine(_dir.FullName, "log"), "-w", "-o", $"-p {Port} -k {_dir.FullName} -c listen_addresses=127.0.0.1 -c fsync=off", "start"]);

    /// <summary>Stops the server: <c>fast</c> shuts down cleanly; <c>immediate</c> is a crash, recovered from the WAL at the next start.</summary>
    public Task StopAsync(string mode = "fast") => RunAsync(Path.Combine(Bin, "pg_ctl"), ["-D", DataDir, "-m", mode, "-w", "stop"]);

    public async Task DisposeAsync()
    {
        try
        {
            await StopAsync();
        }
        finally
        {
            _dir.Delete(recursive: true);
        }
    }

    /// <summary>A database secret as AWS's rotation functions expect it.</summary>
    public string SecretJson(string username, string password, string? masterArn = null) =>
        System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["engine"] = "postgres",
            ["host"] = "127.0.0.1",
            ["port"] = Port,
            ["username"] = username,
            ["password"] = password,
            ["dbname"] = "postgres",
            ["masterarn"] = masterArn ?? "",
        }.Where(p => p.Value is not "").ToDictionary());

    public async Task ExecuteAsSuperuserAsync(string sql)
    {
        await using var connection = await OpenAsync("postgres", SuperuserPassword);
        await using var cmd = new NpgsqlCommand(sql, connection);
        await cmd.ExecuteNonQueryAsync();
    }

    /// <summary>Whether a user can log in with a password (and run a query).</summary>
    public async Task<bool> CanLogInAsync(string username, string password)
    {
        try
        {
            await using var connection = await OpenAsync(username, password);
            await using var cmd = new NpgsqlCommand("SELECT 1", connection);
            return await cmd.ExecuteScalarAsync() is 1;
        }
        catch (PostgresException e) when (e.SqlState == "28P01")
        {
            return false;
        }
    }

    public async Task<NpgsqlConnection> OpenAsync(string username, string password)
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = Port,
            Username = username,
            Password = password,
            Database = "postgres",
            Pooling = false,
            Timeout = 5,
        }.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    private static async Task RunAsync(string program, IEnumerable<string> arguments, bool asPostgres = true)
    {
        var runAsPostgres = asPostgres && Environment.UserName == "root";
        var start = new ProcessStartInfo(runAsPostgres ? "runuser" : program) { RedirectStandardOutput = true, RedirectStandardError = true };
        if (runAsPostgres)
        {
            foreach (var a in new[] { "-u", "postgres", "--", program })
            {
                start.ArgumentList.Add(a);
            }
        }

        foreach (var a in arguments)
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

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
