using System.Diagnostics;
using System.Globalization;
using Coffer.Core.Audit;
using Coffer.Storage.Sqlite;

namespace Coffer.Benchmarks;

/// <summary>Retention's bound on the live database, and LookupEvents over a large log.</summary>
public static partial class AuditBenchmark
{
    /// <summary>Reads arrive at <paramref name="perSecond"/> a second of simulated time; retention runs every simulated minute.</summary>
    private static async Task RetentionAsync(SqliteStore store, AuditChainKeeper keeper, string dir, int records, int concurrency, int perSecond)
    {
        var perMinute = perSecond * 60;
        var start = DateTimeOffset.UtcNow.AddDays(-1);
        var clock = Clock(start);
        var archive = Path.Combine(dir, AuditArchive.DirectoryName);
        var retention = new AuditRetention(store, keeper, archive, TimeSpan.FromHours(1), clock);
        Console.WriteLine($"audit retention: {records} audited reads at {perSecond}/s of simulated time, retention one hour, run every simulated minute");
        var watch = Stopwatch.StartNew();
        for (long done = 0; done < records;)
        {
            var batch = (int)Math.Min(perMinute, records - done);
            var first = done;
            await Parallel.ForEachAsync(Enumerable.Range(0, batch), new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (i, ct) =>
                await store.AppendRecordAsync(Entry(first + i, start.AddMilliseconds((first + i) * 1000.0 / perSecond)), ct));
            done += batch;
            clock.SetUtcNow(start.AddMilliseconds(done * 1000.0 / perSecond));
            await retention.RunAsync(CancellationToken.None);
            if (done % (perMinute * 20) == 0 || done == records)
            {
                var live = await store.ReadAsync((s, ct) => s.Audit.ReadAfterAsync(0, 1, ct)) is [var oldest, ..] ? done - oldest.Sequence + 1 : 0;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{done,9} reads ({done / (double)perSecond / 3600:F2} h): coffer.db {SizeOf(dir, "coffer.db") / 1048576.0,7:F1} MiB, WAL {SizeOf(dir, "coffer.db-wal") / 1048576.0,6:F1} MiB, live records {live,7}, archive {SizeOf(archive, "*.gz") / 1048576.0,7:F1} MiB ({watch.Elapsed.TotalSeconds:F0} s)"));
            }
        }
    }

    /// <summary>A log of <paramref name="records"/> reads of 1,000 parameters over 30 days; then one parameter's reads on one day.</summary>
    private static async Task LookupAsync(SqliteStore store, int records, int concurrency)
    {
        var start = DateTimeOffset.UtcNow.AddDays(-30);
        var step = TimeSpan.FromDays(30).TotalMilliseconds / records;
        var watch = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, records), new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (i, ct) =>
            await store.AppendRecordAsync(Entry(i, start.AddMilliseconds(i * step)), ct));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"audit lookup: wrote {records} records over 30 days in {watch.Elapsed.TotalSeconds:F0} s"));

        var day = start.AddDays(15);
        var times = new List<double>();
        var found = 0;
        for (var run = 0; run < 21; run++)
        {
            watch.Restart();
            found = 0;
            AuditPosition? after = null;
            do
            {
                var lookup = new AuditLookup(Account, "us-east-1", LookupAttributeKey.ResourceName, "/app/prod/svc0007/password", day, day.AddDays(1), 51, after);
                var page = await store.ReadAsync((s, ct) => s.Audit.LookupAsync(lookup, ct));
                found += Math.Min(page.Count, 50);
                after = page.Count > 50 ? page[49].Position : null;
            }
            while (after is not null);
            times.Add(watch.Elapsed.TotalMilliseconds);
        }

        var whole = Stopwatch.StartNew();
        var count = (await store.ReadAsync((s, ct) => s.Audit.ReadAfterAsync(0, int.MaxValue, ct))).Count;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"one parameter's day ({found} records, pages of 50): median {times.Order().ElementAt(10):F2} ms over 21 runs; reading the whole log ({count} records), for scale: {whole.Elapsed.TotalMilliseconds:F0} ms"));
    }
}
