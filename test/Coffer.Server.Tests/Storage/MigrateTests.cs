using System.Text;
using Amazon.KeyManagementService;
using Amazon.KeyManagementService.Model;
using Amazon.Runtime;
using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using Coffer.Server.Hosting;
using Coffer.Server.Tests.Infrastructure;

namespace Coffer.Server.Tests.Storage;

/// <summary><c>coffer migrate --from sqlite:DIR --to postgres://...</c> (issue 10): an installation used
/// on SQLite, moved, then served from PostgreSQL with the same data directory.</summary>
public sealed class MigrateTests(PostgresHarness harness) : IClassFixture<PostgresHarness>, IAsyncLifetime, INeedsPostgres
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("coffer-migrate-");

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        _dir.Delete(recursive: true);
        return Task.CompletedTask;
    }

    [StoreFact]
    public async Task A_sqlite_installation_moved_to_postgres_serves_its_parameters_history_and_keys()
    {
        var dataDir = Path.Combine(_dir.FullName, "data");
        var (exit, output) = await CofferProcess.RunAsync(["init", "--data-dir", dataDir]);
        Assert.True(exit == 0, output);
        var lines = File.ReadAllLines(Path.Combine(dataDir, DataDirectory.CredentialsFileName));
        var root = new BasicAWSCredentials(Value(lines, "aws_access_key_id"), Value(lines, "aws_secret_access_key"));

        string keyId;
        MemoryStream ciphertext;
        await using (var sqlite = await CofferProcess.StartServerAsync(dataDir))
        {
            var ssm = Ssm(root, sqlite.Endpoint);
            await ssm.PutParameterAsync(new PutParameterRequest { Name = "/moved/plain", Value = "one", Type = ParameterType.String });
            await ssm.PutParameterAsync(new PutParameterRequest { Name = "/moved/plain", Value = "two", Type = ParameterType.String, Overwrite = true });
            await ssm.PutParameterAsync(new PutParameterRequest { Name = "/moved/secret", Value = "hunter2", Type = ParameterType.SecureString });
            var kms = Kms(root, sqlite.Endpoint);
            keyId = (await kms.CreateKeyAsync(new CreateKeyRequest())).KeyMetadata.KeyId;
            ciphertext = (await kms.EncryptAsync(new EncryptRequest { KeyId = keyId, Plaintext = new MemoryStream(Encoding.UTF8.GetBytes("sealed")) })).CiphertextBlob;
        }

        var store = await harness.NewInstallationAsync();
        (exit, output) = await CofferProcess.RunAsync(["migrate", "--from", "sqlite:" + dataDir, "--to", store]);
        Assert.True(exit == 0, output);
        Assert.DoesNotContain(PostgresServer.SuperuserPassword, output, StringComparison.Ordinal);

        // The same data directory (root key, audit anchor), now on PostgreSQL: the start-up check of
        // the audit chain against its anchor passes only if the whole log came across intact.
        await using var postgres = await CofferProcess.StartServerAsync(dataDir, new Dictionary<string, string> { ["COFFER_STORE"] = store });
        var moved = Ssm(root, postgres.Endpoint);
        var history = await moved.GetParameterHistoryAsync(new GetParameterHistoryRequest { Name = "/moved/plain" });
        Assert.Equal(["one", "two"], history.Parameters.Select(p => p.Value));
        Assert.Equal("hunter2", (await moved.GetParameterAsync(new GetParameterRequest { Name = "/moved/secret", WithDecryption = true })).Parameter.Value);
        var plaintext = (await Kms(root, postgres.Endpoint).DecryptAsync(new DecryptRequest { CiphertextBlob = ciphertext })).Plaintext;
        Assert.Equal("sealed", Encoding.UTF8.GetString(plaintext.ToArray()));
        var put = await moved.PutParameterAsync(new PutParameterRequest { Name = "/moved/plain", Value = "three", Type = ParameterType.String, Overwrite = true });
        Assert.Equal(3, put.Version);
    }

    [StoreFact]
    public async Task A_backup_stays_encrypted_and_restores_into_an_empty_installation_of_either_kind()
    {
        var dataDir = Path.Combine(_dir.FullName, "source");
        var (exit, output) = await CofferProcess.RunAsync(["init", "--data-dir", dataDir]);
        Assert.True(exit == 0, output);
        var lines = File.ReadAllLines(Path.Combine(dataDir, DataDirectory.CredentialsFileName));
        var root = new BasicAWSCredentials(Value(lines, "aws_access_key_id"), Value(lines, "aws_secret_access_key"));
        await using (var sqlite = await CofferProcess.StartServerAsync(dataDir))
        {
            await Ssm(root, sqlite.Endpoint).PutParameterAsync(new PutParameterRequest { Name = "/kept/secret", Value = "canary-7d1f", Type = ParameterType.SecureString });
        }

        // SQLite to a file to PostgreSQL.
        var first = Path.Combine(_dir.FullName, "first.backup");
        (exit, output) = await CofferProcess.RunAsync(["backup", "--data-dir", dataDir, "--out", first]);
        Assert.True(exit == 0, output);
        var raw = await File.ReadAllBytesAsync(first);
        using (var text = new StreamReader(new System.IO.Compression.GZipStream(new MemoryStream(raw), System.IO.Compression.CompressionMode.Decompress)))
        {
            var json = await text.ReadToEndAsync();
            Assert.DoesNotContain("canary-7d1f", json, StringComparison.Ordinal);
            Assert.DoesNotContain(Convert.ToBase64String(await File.ReadAllBytesAsync(Path.Combine(dataDir, "root.key"))), json, StringComparison.Ordinal);
        }

        var store = await harness.NewInstallationAsync();
        (exit, output) = await CofferProcess.RunAsync(["restore", "--in", first, "--to", store]);
        Assert.True(exit == 0, output);
        var second = Path.Combine(_dir.FullName, "second.backup");
        await using (var postgres = await CofferProcess.StartServerAsync(dataDir, new Dictionary<string, string> { ["COFFER_STORE"] = store }))
        {
            Assert.Equal("canary-7d1f", (await Ssm(root, postgres.Endpoint).GetParameterAsync(new GetParameterRequest { Name = "/kept/secret", WithDecryption = true })).Parameter.Value);
            await Ssm(root, postgres.Endpoint).PutParameterAsync(new PutParameterRequest { Name = "/kept/later", Value = "after-restore", Type = ParameterType.String });

            // PostgreSQL (while its node runs) to a file to a new SQLite data directory with the same root key.
            (exit, output) = await CofferProcess.RunAsync(["backup", "--store", store, "--out", second]);
            Assert.True(exit == 0, output);
        }

        Assert.NotEqual(0, (await CofferProcess.RunAsync(["restore", "--in", second, "--to", store])).ExitCode);
        var restored = Path.Combine(_dir.FullName, "restored");
        Directory.CreateDirectory(restored);
        foreach (var file in new[] { "root.key", "audit.anchor" })
        {
            File.Copy(Path.Combine(dataDir, file), Path.Combine(restored, file));
        }

        (exit, output) = await CofferProcess.RunAsync(["restore", "--in", second, "--to", "sqlite:" + restored]);
        Assert.True(exit == 0, output);
        await using var back = await CofferProcess.StartServerAsync(restored, null, "--accept-audit-anchor-mismatch");
        var ssm = Ssm(root, back.Endpoint);
        Assert.Equal("canary-7d1f", (await ssm.GetParameterAsync(new GetParameterRequest { Name = "/kept/secret", WithDecryption = true })).Parameter.Value);
        Assert.Equal("after-restore", (await ssm.GetParameterAsync(new GetParameterRequest { Name = "/kept/later" })).Parameter.Value);
    }

    private static AmazonSimpleSystemsManagementClient Ssm(AWSCredentials credentials, string endpoint) =>
        new(credentials, new AmazonSimpleSystemsManagementConfig { ServiceURL = endpoint, AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 });

    private static AmazonKeyManagementServiceClient Kms(AWSCredentials credentials, string endpoint) =>
        new(credentials, new AmazonKeyManagementServiceConfig { ServiceURL = endpoint, AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 });

    private static string Value(string[] lines, string key) =>
        lines.First(l => l.StartsWith(key + " = ", StringComparison.Ordinal))[(key.Length + 3)..];
}
