using System.CommandLine;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Coffer.Core.Audit;
using Coffer.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace Coffer.Cli.Commands;

/// <summary>
/// <c>coffer audit export --from --to --out DIR</c>: the audit trail of a time range, from the
/// archive segments and the live log alike, as CloudTrail delivers it to S3: gzipped
/// <c>{"Records":[...]}</c> files, one per account, region and period, under
/// <c>AWSLogs/ACCOUNT/CloudTrail/REGION/YYYY/MM/DD/</c>, so tools that read CloudTrail's bucket
/// read them. It reads the data directory read-only (beside a running server) and needs no root
/// key: archives are sealed, not encrypted, and hold no secret; <c>coffer audit verify</c> checks them.
/// </summary>
internal static class AuditExportCommand
{
    public static Command Create()
    {
        var dataDir = CommonOptions.DataDir();
        var archiveDir = AuditCommand.ArchiveDir();
        var from = new Option<DateTimeOffset>("--from") { Description = "The first event time included (ISO 8601, e.g. 2026-11-01 or 2026-11-01T12:00Z).", Required = true };
        var to = new Option<DateTimeOffset?>("--to") { Description = "The event time the export stops before (default: now)." };
        var output = new Option<string>("--out") { Description = "The folder to write the files into.", Required = true };
        var period = new Option<string>("--period") { Description = "One file per hour or per day (default).", DefaultValueFactory = _ => "day" };
        period.AcceptOnlyFromAmong("hour", "day");
        var command = new Command("export", "Write the audit trail of a time range (archives and live log) as CloudTrail log files: gzipped JSON, one file per account, region and period.")
        {
            dataDir, archiveDir, from, to, output, period,
        };
        command.SetAction((parse, _) => Task.FromResult(Export(
            parse.GetValue(dataDir)!, parse.GetValue(archiveDir), parse.GetValue(from), parse.GetValue(to) ?? DateTimeOffset.UtcNow, parse.GetValue(output)!, parse.GetValue(period) == "hour")));
        return command;
    }

    private static int Export(string dir, string? archiveDir, DateTimeOffset from, DateTimeOffset to, string output, bool hourly)
    {
        if (!File.Exists(Path.Combine(dir, "coffer.db")))
        {
            Console.Error.WriteLine($"{dir} is not a Coffer data directory (no coffer.db).");
            return ExitCodes.NotUsable;
        }

        var files = new Dictionary<string, Stream>(StringComparer.Ordinal);
        long count = 0;
        try
        {
            using var log = AuditLogReader.Open(dir);
            foreach (var record in AuditHistory.ReadAll(archiveDir ?? AuditArchive.DefaultDirectory(dir), log.ReadAll()))
            {
                using var doc = JsonDocument.Parse(record.Json);
                var root = doc.RootElement;
                var time = root.GetProperty("eventTime").GetDateTimeOffset().ToUniversalTime();
                if (time < from || time >= to)
                {
                    continue;
                }

                var account = Safe(root.GetProperty("recipientAccountId").GetString());
                var region = Safe(root.GetProperty("awsRegion").GetString());
                var start = hourly ? new DateTimeOffset(time.Year, time.Month, time.Day, time.Hour, 0, 0, TimeSpan.Zero) : new DateTimeOffset(time.Date, TimeSpan.Zero);
                var path = PathFor(output, account, region, start);
                if (!files.TryGetValue(path, out var stream))
                {
                    Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                    stream = new GZipStream(File.Create(path), CompressionLevel.Optimal);
                    stream.Write("{\"Records\":["u8);
                    files[path] = stream;
                }
                else
                {
                    stream.Write(","u8);
                }

                stream.Write(Encoding.UTF8.GetBytes(record.Json));
                count++;
            }
        }
        catch (Exception e) when (e is SqliteException or IOException or InvalidDataException or JsonException or FormatException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"Cannot export the audit trail: {e.Message.Split('\n', 2)[0]}");
            return ExitCodes.CannotRead;
        }
        finally
        {
            foreach (var stream in files.Values)
            {
                stream.Write("]}"u8);
                stream.Dispose();
            }
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Exported {count} records into {files.Count} files under {Path.Combine(output, "AWSLogs")}."));
        return ExitCodes.Ok;
    }

    /// <summary>A path component from a record's field: letters, digits and '-' only.</summary>
    private static string Safe(string? value) =>
        string.IsNullOrEmpty(value) ? "unknown" : new string([.. value.Select(c => char.IsAsciiLetterOrDigit(c) || c == '-' ? c : '_')]);

    /// <summary>CloudTrail's layout and file name: ACCOUNT_CloudTrail_REGION_YYYYMMDDTHHmmZ_UNIQUE.json.gz.</summary>
    private static string PathFor(string output, string account, string region, DateTimeOffset start) =>
        Path.Combine(output, "AWSLogs", account, "CloudTrail", region, start.ToString("yyyy", CultureInfo.InvariantCulture), start.ToString("MM", CultureInfo.InvariantCulture), start.ToString("dd", CultureInfo.InvariantCulture),
            $"{account}_CloudTrail_{region}_{start.ToString("yyyyMMdd'T'HHmm'Z'", CultureInfo.InvariantCulture)}_coffer.json.gz");
}
