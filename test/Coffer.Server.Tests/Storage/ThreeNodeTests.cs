using System.Globalization;
using Amazon.Runtime;
using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using Coffer.Server.Hosting;
using Coffer.Server.Tests.Infrastructure;

namespace Coffer.Server.Tests.Storage;

/// <summary>
/// Three `coffer server` processes on one PostgreSQL, as tools/three-nodes.sh runs them (issue 10):
/// the first node's data directory initialized against the database, copied for the other two.
/// Node 1 starts alone and takes the schedule lease before the others start.
/// </summary>
public sealed partial class ThreeNodeTests(PostgresHarness harness) : IClassFixture<PostgresHarness>, IAsyncLifetime, INeedsPostgres
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("coffer-three-");
    private readonly List<CofferProcess> _nodes = [];
    private BasicAWSCredentials _root = null!;
    private string _store = "";

    public async Task InitializeAsync()
    {
        if (!PostgresServer.Installed)
        {
            return;
        }

        _store = await harness.NewInstallationAsync();
        var environment = new Dictionary<string, string> { ["COFFER_STORE"] = _store };
        var first = Path.Combine(_dir.FullName, "node1");
        var (exit, output) = await CofferProcess.RunAsync(["init", "--data-dir", first], environment);
        Assert.True(exit == 0, output);
        var credentials = File.ReadAllLines(Path.Combine(first, DataDirectory.CredentialsFileName));
        _root = new BasicAWSCredentials(Value(credentials, "aws_access_key_id"), Value(credentials, "aws_secret_access_key"));
        foreach (var n in new[] { 2, 3 })
        {
            CopyDataDirectory(first, Path.Combine(_dir.FullName, $"node{n}"));
        }

        _nodes.Add(await CofferProcess.StartServerAsync(first, environment, "--schedule-interval", "1"));
        await WaitForLeaseAsync(_nodes[0]);
        foreach (var n in new[] { 2, 3 })
        {
            _nodes.Add(await CofferProcess.StartServerAsync(Path.Combine(_dir.FullName, $"node{n}"), environment, "--schedule-interval", "1"));
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var function in _functions)
        {
            await function.DisposeAsync();
        }

        _http.Dispose();

        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }

        _dir.Delete(recursive: true);
    }

    [StoreFact]
    public async Task A_parameter_put_through_one_node_is_read_through_the_next_right_after()
    {
        for (var i = 0; i < 9; i++)
        {
            var value = $"value-{i}";
            await Ssm(i % 3).PutParameterAsync(new PutParameterRequest { Name = "/ryw", Value = value, Type = ParameterType.String, Overwrite = true });
            Assert.Equal(value, (await Ssm((i + 1) % 3).GetParameterAsync(new GetParameterRequest { Name = "/ryw" })).Parameter.Value);
        }
    }

    [StoreFact]
    public async Task Concurrent_puts_through_three_nodes_get_consecutive_versions()
    {
        var puts = Enumerable.Range(0, 30).Select(i => Ssm(i % 3).PutParameterAsync(new PutParameterRequest { Name = "/contended", Value = $"v{i}", Type = ParameterType.SecureString, Overwrite = true }));
        var versions = (await Task.WhenAll(puts)).Select(r => r.Version ?? 0).Order();

        Assert.Equal(Enumerable.Range(1, 30).Select(v => (long)v), versions);
    }

    [StoreFact]
    public async Task Killing_the_scheduler_node_loses_no_acknowledged_write_and_another_node_takes_its_work_over()
    {
        var expires = DateTimeOffset.UtcNow.AddSeconds(8).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
        await Ssm(1).PutParameterAsync(new PutParameterRequest
        {
            Name = "/expiring",
            Value = "v",
            Type = ParameterType.String,
            Tier = ParameterTier.Advanced,
            Policies = $$$"""[{"Type":"Expiration","Version":"1.0","Attributes":{"Timestamp":"{{{expires}}}"}}]""",
        });

        // Writes through all three nodes while node 1 dies: each acknowledged one must be there after.
        var acknowledged = new System.Collections.Concurrent.ConcurrentBag<string>();
        var writers = Enumerable.Range(0, 3).Select(n => Task.Run(async () =>
        {
            for (var i = 0; i < 15; i++)
            {
                var name = $"/load/n{n}/p{i}";
                try
                {
                    await Ssm(n, retries: 0).PutParameterAsync(new PutParameterRequest { Name = name, Value = "x", Type = ParameterType.String });
                    acknowledged.Add(name);
                }
                catch (Exception e) when (e is not Xunit.Sdk.XunitException)
                {
                    // Node 1 is gone: not acknowledged.
                }
            }
        })).ToList();
        _nodes[0].KillHard();
        await Task.WhenAll(writers);

        Assert.NotEmpty(acknowledged);
        foreach (var name in acknowledged)
        {
            Assert.Equal("x", (await Ssm(2).GetParameterAsync(new GetParameterRequest { Name = name })).Parameter.Value);
        }

        // Node 1 held the lease; the expiration is carried out by whichever node took it over.
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline && await ExistsAsync(Ssm(2), "/expiring"))
        {
            await Task.Delay(500);
        }

        Assert.False(await ExistsAsync(Ssm(2), "/expiring"), "no surviving node carried out the expiration");
    }

    [StoreFact]
    public async Task Coffer_status_on_each_node_says_whether_it_is_the_one_that_runs_scheduled_work()
    {
        // Issue 14: the status said "runs on <this node>" on every node. Each node learns at its
        // first round (every second here) whether it holds the lease.
        using var http = new HttpClient();
        foreach (var node in _nodes)
        {
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (await RunsHereAsync(http, node) is null)
            {
                Assert.True(DateTime.UtcNow < deadline, "a node never asked for the schedule lease:\n" + node.Output);
                await Task.Delay(100);
            }
        }

        Assert.True(await RunsHereAsync(http, _nodes[0]));
        Assert.False(await RunsHereAsync(http, _nodes[1]));
        Assert.False(await RunsHereAsync(http, _nodes[2]));

        var (exit, first) = await CofferProcess.RunAsync(["status", "--url", _nodes[0].Endpoint]);
        Assert.True(exit == 0, first);
        Assert.Matches("Scheduler: +runs on [^ ]+ every ", first);
        Assert.Matches("Store: +postgres at postgres://postgres:\\(redacted\\)@", first);
        var (_, second) = await CofferProcess.RunAsync(["status", "--url", _nodes[1].Endpoint]);
        Assert.Contains("another node holds the schedule lease", second, StringComparison.Ordinal);
    }

    private static async Task<bool?> RunsHereAsync(HttpClient http, CofferProcess node)
    {
        var status = System.Text.Json.JsonDocument.Parse(await http.GetStringAsync(new Uri(node.Endpoint + AdminEndpoints.StatusPath))).RootElement;
        var runsHere = status.GetProperty("scheduler").GetProperty("runsHere");
        return runsHere.ValueKind == System.Text.Json.JsonValueKind.Null ? null : runsHere.GetBoolean();
    }

    private AmazonSimpleSystemsManagementClient Ssm(int node, int retries = 3) => new(_root, new AmazonSimpleSystemsManagementConfig
    {
        ServiceURL = _nodes[node].Endpoint,
        AuthenticationRegion = "us-east-1",
        MaxErrorRetry = retries,
    });

    private static async Task<bool> ExistsAsync(AmazonSimpleSystemsManagementClient ssm, string name)
    {
        try
        {
            await ssm.GetParameterAsync(new GetParameterRequest { Name = name });
            return true;
        }
        catch (ParameterNotFoundException)
        {
            return false;
        }
    }

    /// <summary>Node 1 takes the lease on its first scheduled round, and says so in its log.</summary>
    private static async Task WaitForLeaseAsync(CofferProcess node)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!node.Output.Contains("runs scheduled work", StringComparison.Ordinal))
        {
            Assert.True(DateTime.UtcNow < deadline, "node 1 never took the schedule lease:\n" + node.Output);
            await Task.Delay(100);
        }
    }

    private static string Value(string[] lines, string key) =>
        lines.First(l => l.StartsWith(key + " = ", StringComparison.Ordinal))[(key.Length + 3)..];

    private static void CopyDataDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
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
