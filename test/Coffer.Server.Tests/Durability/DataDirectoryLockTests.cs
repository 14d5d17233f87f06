using System.Net;
using Coffer.Server.Hosting;
using Coffer.Server.Tests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace Coffer.Server.Tests.Durability;

/// <summary>
/// Issue 8: a second server on the same data directory started, reported healthy, then failed
/// every call with 500. Now the directory is locked and the second one refuses to start.
/// </summary>
public sealed class DataDirectoryLockTests : IDisposable
{
    private readonly string _dataDir = Path.Combine(Directory.CreateTempSubdirectory("coffer-lock-").FullName, "data");

    [Fact]
    public async Task A_second_server_on_the_same_data_directory_refuses_to_start_and_names_the_first()
    {
        await DataDirectory.InitializeAsync(_dataDir, null, null);
        await using (var first = await StartInProcessAsync())
        {
            var error = await Assert.ThrowsAsync<DataDirectoryInUseException>(StartInProcessAsync);
            Assert.Contains($"The data directory {_dataDir} is in use by coffer server pid {Environment.ProcessId} since ", error.Message, StringComparison.Ordinal);
            Assert.Contains($"pid {Environment.ProcessId}", await File.ReadAllTextAsync(Path.Combine(_dataDir, DataDirectoryLock.OwnerFileName)), StringComparison.Ordinal);
        }

        // Stopping the first server lets the next one in.
        await using var next = await StartInProcessAsync();
        Assert.False(next.Services.Keyring.IsSealed);
    }

    [Fact]
    public async Task A_second_coffer_process_refuses_with_a_message_and_no_stack_trace()
    {
        Assert.Equal(0, (await CofferProcess.RunAsync(["init", "--data-dir", _dataDir])).ExitCode);
        await using var first = await CofferProcess.StartServerAsync(_dataDir);

        var (exit, output) = await CofferProcess.RunAsync(["server", "--data-dir", _dataDir, "--urls", "http://127.0.0.1:0"]);
        Assert.NotEqual(0, exit);
        Assert.Contains($"The data directory {_dataDir} is in use by coffer server pid ", output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);

        var (initExit, initOutput) = await CofferProcess.RunAsync(["init", "--data-dir", _dataDir]);
        Assert.NotEqual(0, initExit);
        Assert.Contains("is in use by coffer server pid ", initOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", initOutput, StringComparison.Ordinal);

        // The first server was not disturbed.
        using var http = new HttpClient();
        using var health = await http.GetAsync(new Uri(first.Endpoint + "/_coffer/health"));
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    private Task<RunningServer> StartInProcessAsync() =>
        CofferServer.StartAsync(
            new CofferServerOptions { DataDir = _dataDir, Urls = "http://127.0.0.1:0", ScheduleInterval = Timeout.InfiniteTimeSpan },
            logging => logging.AddProvider(new LogCapture()));

    public void Dispose() => Directory.Delete(Path.GetDirectoryName(_dataDir)!, recursive: true);
}
