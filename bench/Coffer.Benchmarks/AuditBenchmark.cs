using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Coffer.Core.Audit;
using Coffer.Core.Crypto;
using Coffer.Storage.Sqlite;

namespace Coffer.Benchmarks;

/// <summary>
/// The audit trail's storage, without HTTP in front (issue 9), on the file store:
///   append   read records appended the way a change's record is (fsynced before the answer)
///            against the way a read's record is now (committed, fsynced within a second), alternately;
///   retention the live database's size while N audited reads arrive, one hour of records a fixed
///            number of records long, with a one-hour retention run every simulated minute;
///   lookup   LookupEvents' query for one resource's day in a log of N records over 30 days.
/// Usage: dotnet run -c Release --project bench/Coffer.Benchmarks -- audit append|retention|lookup [--records N] [--rate READS_PER_S] [--seconds S] [--concurrency C]
/// </summary>
public static partial class AuditBenchmark
{
    private const string Account = "123456789012";

    public static async Task<int> RunAsync(string[] args)
    {
        var what = args.Length > 0 ? args[0] : "append";
        var records = Option(args, "--records", 1_000_000);
        var seconds = Option(args, "--seconds", 5);
        var concurrency = Option(args, "--concurrency", 16);
        var dir = Directory.CreateTempSubdirectory("coffer-audit-bench-").FullName;
        using var root = new RootKey(RandomNumberGenerator.GetBytes(32));
        var keeper = new AuditChainKeeper(dir);
        keeper.Open(AuditKeys.Derive(root), 1);
        try
        {
            await using var store = SqliteStore.OpenFile(dir, keeper);
            switch (what)
            {
                case "append":
                    await AppendAsync(store, seconds, concurrency);
                    break;
                case "retention":
                    await RetentionAsync(store, keeper, dir, records, concurrency, Option(args, "--rate", 100));
                    break;
                default:
                    await LookupAsync(store, records, concurrency);
                    break;
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }

        return 0;
    }

    private static async Task AppendAsync(SqliteStore store, int seconds, int concurrency)
    {
        Console.WriteLine($"audit append: {concurrency} concurrent appenders, {seconds} s per measurement, 3 rounds, {Environment.ProcessorCount} cores");
        var ratios = new List<double>();
        for (var round = 1; round <= 3; round++)
        {
            var durable = await MeasureAsync(concurrency, seconds, i => store.WriteAsync(async (s, ct) =>
            {
                await s.Audit.AppendAsync(Entry(i, DateTimeOffset.UtcNow), ct);
                return true;
            }));
            var relaxed = await MeasureAsync(concurrency, seconds, i => store.AppendRecordAsync(Entry(i, DateTimeOffset.UtcNow)));
            ratios.Add(relaxed / durable);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"round {round}: fsynced before the answer {durable:F0} records/s; committed, fsynced within 1 s {relaxed:F0} records/s; ratio {ratios[^1]:F2}"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"median ratio {ratios.Order().ElementAt(1):F2}"));
    }

    private static async Task<double> MeasureAsync(int concurrency, int seconds, Func<long, Task> append)
    {
        long count = 0;
        var stop = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, concurrency).Select(async _ =>
        {
            while (stop.Elapsed.TotalSeconds < seconds)
            {
                await append(Interlocked.Increment(ref count));
            }
        });
        await Task.WhenAll(workers);
        return count / stop.Elapsed.TotalSeconds;
    }

    /// <summary>A GetParameter's record as the pipeline writes it: a caller, a parameter, one resource.</summary>
    internal static AuditEntry Entry(long i, DateTimeOffset time, int resources = 1000)
    {
        var name = string.Create(CultureInfo.InvariantCulture, $"/app/prod/svc{i % resources:D4}/password");
        return AuditEntry.From(new AuditRecord
        {
            UserIdentity = new AuditIdentity("IAMUser", "AIDAEXAMPLEEXAMPLE01", $"arn:aws:iam::{Account}:user/app", Account, "AKIAEXAMPLEEXAMPLE01", "app"),
            EventTime = time,
            EventSource = "ssm.amazonaws.com",
            EventName = "GetParameter",
            AwsRegion = "us-east-1",
            SourceIpAddress = "127.0.0.1",
            UserAgent = "aws-sdk-dotnet/4.0 bench",
            RequestParameters = new System.Text.Json.Nodes.JsonObject { ["name"] = name, ["withDecryption"] = true },
            RequestId = Guid.NewGuid().ToString(),
            EventId = Guid.NewGuid().ToString(),
            ReadOnly = true,
            Resources = [new AuditResource($"arn:aws:ssm:us-east-1:{Account}:parameter{name}", "AWS::SSM::Parameter")],
            RecipientAccountId = Account,
        });
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }

    private static long SizeOf(string dir, string pattern) =>
        Directory.Exists(dir) ? Directory.EnumerateFiles(dir, pattern).Sum(f => new FileInfo(f).Length) : 0;

    private static SimulatedClock Clock(DateTimeOffset start) => new() { Now = start };

    /// <summary>Simulated time, set by the benchmark as records arrive.</summary>
    private sealed class SimulatedClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; }

        public void SetUtcNow(DateTimeOffset now) => Now = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
