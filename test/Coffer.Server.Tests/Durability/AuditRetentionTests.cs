using Amazon.KeyManagementService;
using Amazon.KeyManagementService.Model;
using Amazon.Runtime;
using Coffer.Core.Audit;
using Coffer.Server.Hosting;
using Coffer.Server.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Coffer.Server.Tests.Durability;

/// <summary>
/// Retention with sealed archives (issue 9): records older than the retention leave the live
/// database for sealed, chained segments; <c>coffer audit verify</c> checks the chain across them
/// and finds a segment edited, removed or put out of order.
/// </summary>
public sealed partial class AuditRetentionTests : IDisposable
{
    private readonly string _dataDir = Path.Combine(Directory.CreateTempSubdirectory("coffer-retention-").FullName, "data");
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow.AddDays(-1));

    private string ArchiveDir => AuditArchive.DefaultDirectory(_dataDir);

    [Fact]
    public async Task Records_past_the_retention_move_to_sealed_segments_and_verify_checks_the_whole_chain()
    {
        var (total, live) = await ArchiveAsync(oldCalls: 7, newCalls: 3, segmentRecords: 3);

        Assert.Equal(3, AuditArchive.List(ArchiveDir).Count);
        Assert.Equal(live, LiveCount());
        Assert.True(live < total, $"{live} records still live of {total}");
        var (exit, output) = await VerifyAsync();
        Assert.True(exit == 0, output);
        Assert.Contains($"intact: {total} records (3 archive segments, then the live log)", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_edited_segment_is_found()
    {
        await ArchiveAsync(oldCalls: 7, newCalls: 3, segmentRecords: 3);
        var segment = AuditArchive.List(ArchiveDir)[1];
        var text = ReadGzip(segment);
        WriteGzip(segment, text.Replace("audited 4", "audited 5", StringComparison.Ordinal));

        var (exit, output) = await VerifyAsync();
        Assert.Equal(1, exit);
        Assert.Contains("does not verify under the archive key", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public async Task A_removed_segment_is_found(int which)
    {
        await ArchiveAsync(oldCalls: 7, newCalls: 3, segmentRecords: 3);
        File.Delete(AuditArchive.List(ArchiveDir)[which]);

        var (exit, output) = await VerifyAsync();
        Assert.Equal(1, exit);
        Assert.Matches("broken at record|does not follow the segment before it", output);
    }

    [Fact]
    public async Task Segments_swapped_in_the_order_are_found()
    {
        await ArchiveAsync(oldCalls: 7, newCalls: 3, segmentRecords: 3);
        var segments = AuditArchive.List(ArchiveDir);
        File.Move(segments[0], segments[0] + ".swap");
        File.Move(segments[1], segments[0]);
        File.Move(segments[0] + ".swap", segments[1]);

        var (exit, output) = await VerifyAsync();
        Assert.Equal(1, exit);
        Assert.Contains("does not verify under the archive key", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Removing_every_segment_is_found()
    {
        await ArchiveAsync(oldCalls: 7, newCalls: 3, segmentRecords: 3);
        Directory.Delete(ArchiveDir, recursive: true);

        var (exit, output) = await VerifyAsync();
        Assert.Equal(1, exit);
        Assert.Contains("broken at record 1", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Audit_query_says_which_records_it_did_not_search_because_they_are_archived()
    {
        var output = "";
        await ArchiveAsync(oldCalls: 4, newCalls: 2, segmentRecords: 10, afterArchiving: async (endpoint, root) =>
        {
            var env = new Dictionary<string, string>
            {
                ["AWS_ACCESS_KEY_ID"] = root.AccessKeyId,
                ["AWS_SECRET_ACCESS_KEY"] = root.SecretAccessKey,
                ["AWS_REGION"] = "us-east-1",
                ["COFFER_URL"] = endpoint,
            };
            int exit;
            (exit, output) = await CofferProcess.RunAsync(["audit", "query", "--since", "3d", "--output", "json"], env);
            Assert.True(exit == 0, output);
        });

        Assert.Contains("are in the audit archive and were not searched", output, StringComparison.Ordinal);
        Assert.Contains("\"eventName\":\"ListKeys\"", output, StringComparison.Ordinal);
        Assert.DoesNotContain("\"eventName\":\"CreateKey\"", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Export_writes_archived_and_live_records_as_gzipped_CloudTrail_files()
    {
        var (total, _) = await ArchiveAsync(oldCalls: 7, newCalls: 3, segmentRecords: 3);
        var output = Path.Combine(Path.GetDirectoryName(_dataDir)!, "export");
        var from = _clock.GetUtcNow().AddDays(-1).ToString("O", System.Globalization.CultureInfo.InvariantCulture);

        var (exit, text) = await CofferProcess.RunAsync(["audit", "export", "--data-dir", _dataDir, "--from", from, "--out", output, "--period", "hour"]);
        Assert.True(exit == 0, text);
        var files = Directory.GetFiles(output, "*_CloudTrail_us-east-1_*.json.gz", SearchOption.AllDirectories);
        Assert.Equal(2, files.Length);
        Assert.All(files, f => Assert.Matches(@"AWSLogs/\d{12}/CloudTrail/us-east-1/\d{4}/\d{2}/\d{2}/\d{12}_CloudTrail_us-east-1_\d{8}T\d{2}00Z_coffer\.json\.gz$", f));
        var records = files.SelectMany(f => System.Text.Json.JsonDocument.Parse(ReadGzip(f)).RootElement.GetProperty("Records").EnumerateArray().Select(r => r.GetProperty("eventName").GetString())).ToList();
        Assert.Equal(total, records.Count);
        Assert.Equal(7, records.Count(n => n == "CreateKey"));
    }

    [Fact]
    public async Task The_space_of_archived_records_goes_back_to_the_file_system()
    {
        var before = 0L;
        await ArchiveAsync(oldCalls: 400, newCalls: 1, segmentRecords: 1000, beforeArchiving: () => before = PageCount());

        var after = PageCount();
        Assert.True(after < before, $"{after} pages after archiving, {before} before");
        using var db = Open();
        Assert.Equal(0L, Scalar(db, "PRAGMA freelist_count"));
        Assert.Equal(2L, Scalar(db, "PRAGMA auto_vacuum"));
    }

    /// <summary>
    /// Makes <paramref name="oldCalls"/> audited calls, moves the clock two hours on, makes
    /// <paramref name="newCalls"/> more, and runs retention with a one-hour window. Returns how many
    /// records there are in all and how many stayed live.
    /// </summary>
    private async Task<(long Total, long Live)> ArchiveAsync(int oldCalls, int newCalls, int segmentRecords, Action? beforeArchiving = null, Func<string, RootCredentials, Task>? afterArchiving = null)
    {
        var root = await DataDirectory.InitializeAsync(_dataDir, null, null);
        await using var server = await CofferServer.StartAsync(
            new CofferServerOptions
            {
                DataDir = _dataDir,
                Urls = "http://127.0.0.1:0",
                Time = _clock,
                ScheduleInterval = Timeout.InfiniteTimeSpan,
                AuditRetention = TimeSpan.FromHours(1),
                EventDelivery = EventDelivery.Default with { Enabled = false },
            },
            logging => logging.SetMinimumLevel(LogLevel.Warning));
        server.Services.Retention = new AuditRetention(server.Services.Store, server.Services.AuditChain, ArchiveDir, TimeSpan.FromHours(1), _clock) { SegmentRecords = segmentRecords };
        using var kms = new AmazonKeyManagementServiceClient(
            new BasicAWSCredentials(root.AccessKeyId, root.SecretAccessKey),
            new AmazonKeyManagementServiceConfig { ServiceURL = server.BaseAddress.ToString(), AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 });
        for (var i = 0; i < oldCalls; i++)
        {
            await kms.CreateKeyAsync(new CreateKeyRequest { Description = $"audited {i}" });
        }

        _clock.Advance(TimeSpan.FromHours(2));
        for (var i = 0; i < newCalls; i++)
        {
            await kms.ListKeysAsync(new ListKeysRequest());
        }

        var total = LiveCount();
        beforeArchiving?.Invoke();
        await server.Services.RunDueWorkAsync(CancellationToken.None);
        var live = LiveCount();
        if (afterArchiving is not null)
        {
            await afterArchiving(server.BaseAddress.ToString().TrimEnd('/'), root);
        }

        return (total, live);
    }
}
