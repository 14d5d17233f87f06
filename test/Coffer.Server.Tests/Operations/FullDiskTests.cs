using System.Net;
using System.Text.Json;
using Coffer.Server.Hosting;
using Coffer.Server.Tests.Infrastructure;

namespace Coffer.Server.Tests.Operations;

/// <summary>
/// Issue 14: readiness goes false when the data directory's disk is really full, not only under an
/// impossible threshold. The data directory is on a small tmpfs of its own; the test fills it,
/// sees readiness answer 503 naming the disk check, frees the space and sees it ready again.
/// Mounting needs root: elsewhere the test is skipped, saying so.
/// </summary>
public sealed class FullDiskTests : IAsyncLifetime
{
    private const long DiskBytes = 32L * 1024 * 1024;
    private const long Threshold = 4L * 1024 * 1024;
    private readonly string _mount = Directory.CreateTempSubdirectory("coffer-full-disk-").FullName;
    private RunningServer? _server;
    private bool _mounted;

    private string DataDir => Path.Combine(_mount, "data");

    private string Filler => Path.Combine(_mount, "filler");

    public async Task InitializeAsync()
    {
        if (!RootFactAttribute.IsRoot)
        {
            return;
        }

        await RunAsync("mount", "-t", "tmpfs", "-o", $"size={DiskBytes},mode=0700", "tmpfs", _mount);
        _mounted = true;
        Directory.CreateDirectory(DataDir);
        await DataDirectory.InitializeAsync(DataDir, "111122223333", null);
        _server = await CofferServer.StartAsync(new CofferServerOptions
        {
            DataDir = DataDir,
            Urls = "http://127.0.0.1:0",
            ScheduleInterval = Timeout.InfiniteTimeSpan,
            MinFreeDiskBytes = Threshold,
        });
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        if (_mounted)
        {
            await RunAsync("umount", _mount);
        }

        Directory.Delete(_mount, recursive: true);
    }

    [RootFact]
    public async Task Readiness_turns_503_naming_the_disk_when_the_data_directory_fills_and_200_when_space_is_freed()
    {
        var (status, checks) = await ReadyAsync();
        Assert.True(status == HttpStatusCode.OK, checks.ToString());

        // Fill the file system to the last block, as a runaway log or backup beside the data would.
        await using (var filler = new FileStream(Filler, FileMode.CreateNew, FileAccess.Write))
        {
            var block = new byte[64 * 1024];
            var full = false;
            while (!full)
            {
                try
                {
                    await filler.WriteAsync(block);
                    await filler.FlushAsync();
                }
                catch (IOException)
                {
                    full = true;
                }
            }
        }

        (status, checks) = await ReadyAsync();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        var disk = checks.GetProperty("disk");
        Assert.False(disk.GetProperty("ok").GetBoolean(), checks.ToString());
        Assert.Contains("below the 4 MiB threshold", disk.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.True(checks.GetProperty("unsealed").GetProperty("ok").GetBoolean());
        Assert.True(checks.GetProperty("store").GetProperty("ok").GetBoolean());

        File.Delete(Filler);
        (status, checks) = await ReadyAsync();
        Assert.True(status == HttpStatusCode.OK, checks.ToString());
    }

    private async Task<(HttpStatusCode Status, JsonElement Checks)> ReadyAsync()
    {
        using var http = new HttpClient();
        using var response = await http.GetAsync(new Uri(_server!.BaseAddress, "/_coffer/health/ready"));
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        return (response.StatusCode, body.GetProperty("checks").Clone());
    }

    private static async Task RunAsync(string command, params string[] arguments)
    {
        var (exit, output) = await ExternalClient.RunAsync(command, arguments, new Dictionary<string, string>(), TimeSpan.FromSeconds(30));
        Assert.True(exit == 0, $"{command} {string.Join(' ', arguments)}: {output}");
    }
}
