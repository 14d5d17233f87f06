using Amazon.KeyManagementService;
using Amazon.KeyManagementService.Model;
using Amazon.Runtime;
using Coffer.Server.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace Coffer.Server.Tests.Durability;

/// <summary>The data directory the tampering tests work on, and SQL against its database.</summary>
public sealed partial class AuditTamperingTests
{
    public void Dispose() => Directory.Delete(Path.GetDirectoryName(_dataDir)!, recursive: true);

    /// <summary>Makes a data directory whose log holds <see cref="Calls"/> records, one call at a time.</summary>
    private async Task InitAndAuditAsync(Dictionary<string, string>? environment = null, params string[] initArguments)
    {
        var init = await CofferProcess.RunAsync(["init", "--data-dir", _dataDir, .. initArguments], environment);
        Assert.True(init.ExitCode == 0, init.Output);
        await using var server = await CofferProcess.StartServerAsync(_dataDir, environment);
        using var kms = Kms(server.Endpoint);
        for (var i = 0; i < Calls; i++)
        {
            await kms.CreateKeyAsync(new CreateKeyRequest { Description = $"audited {i}" });
        }

        var (exit, output) = await VerifyAsync(environment);
        Assert.True(exit == 0, output);
        Assert.Contains($"intact: {Calls} records, keyed from the first", output, StringComparison.Ordinal);
    }

    private Task<(int ExitCode, string Output)> VerifyAsync(Dictionary<string, string>? environment = null) =>
        CofferProcess.RunAsync(["audit", "verify", "--data-dir", _dataDir], environment);

    private AmazonKeyManagementServiceClient Kms(string endpoint)
    {
        var lines = File.ReadAllLines(Path.Combine(_dataDir, "root-credentials"));
        string Value(string name) => lines.Single(l => l.StartsWith(name, StringComparison.Ordinal)).Split('=', 2)[1].Trim();
        return new(
            new BasicAWSCredentials(Value("aws_access_key_id"), Value("aws_secret_access_key")),
            new AmazonKeyManagementServiceConfig { ServiceURL = endpoint, AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 });
    }

    private SqliteConnection Open()
    {
        var db = new SqliteConnection($"Data Source={Path.Combine(_dataDir, "coffer.db")};Pooling=False");
        db.Open();
        return db;
    }

    private void Sql(string sql)
    {
        using var db = Open();
        Exec(db, sql);
    }

    private static void Exec(SqliteConnection db, string sql)
    {
        using var cmd = db.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    private static object? Scalar(SqliteConnection db, string sql)
    {
        using var cmd = db.CreateCommand();
        cmd.CommandText = sql;
        return cmd.ExecuteScalar();
    }
}
