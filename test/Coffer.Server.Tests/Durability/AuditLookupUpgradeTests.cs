using Amazon.KeyManagementService;
using Amazon.KeyManagementService.Model;
using Amazon.Runtime;
using Coffer.Server.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace Coffer.Server.Tests.Durability;

/// <summary>Issue 9: records written before the lookup indexes existed are found by LookupEvents
/// after the upgrade (schema migration 6 fills the indexes from their JSON).</summary>
public sealed class AuditLookupUpgradeTests : IDisposable
{
    private readonly string _dataDir = Path.Combine(Directory.CreateTempSubdirectory("coffer-lookup-").FullName, "data");

    [Fact]
    public async Task Records_from_before_the_lookup_indexes_are_found_after_the_upgrade()
    {
        Assert.Equal(0, (await CofferProcess.RunAsync(["init", "--data-dir", _dataDir])).ExitCode);
        var (accessKey, secret) = Credentials();
        string keyArn;
        await using (var server = await CofferProcess.StartServerAsync(_dataDir))
        {
            using var kms = new AmazonKeyManagementServiceClient(
                new BasicAWSCredentials(accessKey, secret), new AmazonKeyManagementServiceConfig { ServiceURL = server.Endpoint, AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 });
            keyArn = (await kms.CreateKeyAsync(new CreateKeyRequest())).KeyMetadata.Arn;
            await kms.CreateKeyAsync(new CreateKeyRequest());
        }

        // The schema as it was before migration 6.
        using (var db = new SqliteConnection($"Data Source={Path.Combine(_dataDir, "coffer.db")};Pooling=False"))
        {
            db.Open();
            using var cmd = db.CreateCommand();
            // (Migration 15 replaced the other lookup indexes and audit_resources with audit_index; both run again.)
            var indexes = new[] { "time", "event_id" }.Select(i => $"DROP INDEX audit_log_{i};");
            var columns = new[] { "account_id", "region", "event_id", "event_name", "event_source", "read_only", "username", "access_key_id" }.Select(c => $"ALTER TABLE audit_log DROP COLUMN {c};");
            cmd.CommandText = string.Concat(indexes) + string.Concat(columns) + "DROP TABLE audit_index; DELETE FROM meta WHERE key = 'audit_index_through'; DELETE FROM schema_migrations WHERE version IN (6, 15);";
            cmd.ExecuteNonQuery();
        }

        await using var upgraded = await CofferProcess.StartServerAsync(_dataDir);
        var env = new Dictionary<string, string>
        {
            ["AWS_ACCESS_KEY_ID"] = accessKey,
            ["AWS_SECRET_ACCESS_KEY"] = secret,
            ["AWS_REGION"] = "us-east-1",
            ["AWS_PAGER"] = "",
            ["AWS_CONFIG_FILE"] = "/dev/null",
            ["AWS_SHARED_CREDENTIALS_FILE"] = "/dev/null",
        };
        var byArn = await ExternalClient.RunAsync(ExternalClient.AwsCliV2, ["--endpoint-url", upgraded.Endpoint, "cloudtrail", "lookup-events", "--lookup-attributes", $"AttributeKey=ResourceName,AttributeValue={keyArn}", "--query", "Events[].EventName", "--output", "text"], env);
        Assert.True(byArn.ExitCode == 0, byArn.Output);
        Assert.Equal("CreateKey", byArn.Output.Trim());

        var byUser = await ExternalClient.RunAsync(ExternalClient.AwsCliV2, ["--endpoint-url", upgraded.Endpoint, "cloudtrail", "lookup-events", "--lookup-attributes", "AttributeKey=Username,AttributeValue=root", "--query", "length(Events[?EventName=='CreateKey'])", "--output", "text"], env);
        Assert.True(byUser.ExitCode == 0, byUser.Output);
        Assert.Equal("2", byUser.Output.Trim());
    }

    public void Dispose() => Directory.Delete(Path.GetDirectoryName(_dataDir)!, recursive: true);

    private (string AccessKey, string Secret) Credentials()
    {
        var lines = File.ReadAllLines(Path.Combine(_dataDir, "root-credentials"));
        string Value(string name) => lines.Single(l => l.StartsWith(name, StringComparison.Ordinal)).Split('=', 2)[1].Trim();
        return (Value("aws_access_key_id"), Value("aws_secret_access_key"));
    }
}
