using System.IO.Compression;
using System.Text;
using Coffer.Server.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace Coffer.Server.Tests.Durability;

/// <summary>The data directory, its database and its segments, as the retention tests read and damage them.</summary>
public sealed partial class AuditRetentionTests
{
    public void Dispose() => Directory.Delete(Path.GetDirectoryName(_dataDir)!, recursive: true);

    private Task<(int ExitCode, string Output)> VerifyAsync() =>
        CofferProcess.RunAsync(["audit", "verify", "--data-dir", _dataDir]);

    private static string ReadGzip(string path)
    {
        using var gzip = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var reader = new StreamReader(gzip, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    private static void WriteGzip(string path, string text)
    {
        using var gzip = new GZipStream(File.Create(path), CompressionLevel.Optimal);
        gzip.Write(Encoding.UTF8.GetBytes(text));
    }

    private long LiveCount()
    {
        using var db = Open();
        return (long)Scalar(db, "SELECT count(*) FROM audit_log")!;
    }

    private long PageCount()
    {
        using var db = Open();
        return (long)Scalar(db, "PRAGMA page_count")!;
    }

    private SqliteConnection Open()
    {
        var db = new SqliteConnection($"Data Source={Path.Combine(_dataDir, "coffer.db")};Mode=ReadOnly;Pooling=False");
        db.Open();
        return db;
    }

    private static object? Scalar(SqliteConnection db, string sql)
    {
        using var cmd = db.CreateCommand();
        cmd.CommandText = sql;
        return cmd.ExecuteScalar();
    }
}
