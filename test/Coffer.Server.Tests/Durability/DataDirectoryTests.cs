using System.Text;
using Amazon.KeyManagementService;
using Amazon.KeyManagementService.Model;
using Amazon.Runtime;
using Coffer.Server.Tests.Infrastructure;

namespace Coffer.Server.Tests.Durability;

/// <summary>The `coffer` program on a real data directory: init, restart, crash, seal.</summary>
public sealed class DataDirectoryTests : IDisposable
{
    private readonly string _dataDir = Path.Combine(Directory.CreateTempSubdirectory("coffer-data-").FullName, "data");

    [Fact]
    public async Task First_start_initializes_the_directory_and_prints_root_credentials_once()
    {
        await using (var server = await CofferProcess.StartServerAsync(_dataDir, null, "--account-id", "123456789012"))
        {
            var (accessKey, secret) = ReadCredentialsFile();
            Assert.Contains(accessKey, server.Output, StringComparison.Ordinal);
            Assert.Contains(secret, server.Output, StringComparison.Ordinal);
            using var kms = Kms(server.Endpoint, accessKey, secret);
            var key = await kms.CreateKeyAsync(new CreateKeyRequest());
            Assert.Contains(":123456789012:key/", key.KeyMetadata.Arn, StringComparison.Ordinal);
        }

        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_dataDir, "root-credentials")));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_dataDir, "root.key")));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(_dataDir));
        }

        await using var again = await CofferProcess.StartServerAsync(_dataDir);
        Assert.DoesNotContain(ReadCredentialsFile().Secret, again.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_acknowledged_key_and_ciphertext_survive_kill_minus_9()
    {
        var (init, _) = await CofferProcess.RunAsync(["init", "--data-dir", _dataDir]);
        Assert.Equal(0, init);
        var (accessKey, secret) = ReadCredentialsFile();

        var acknowledged = new List<(string KeyId, MemoryStream Blob)>();
        await using (var server = await CofferProcess.StartServerAsync(_dataDir))
        {
            using var kms = Kms(server.Endpoint, accessKey, secret);
            var writes = Enumerable.Range(0, 8).Select(async i =>
            {
                var key = await kms.CreateKeyAsync(new CreateKeyRequest { Description = $"crash {i}" });
                var blob = await kms.EncryptAsync(new EncryptRequest { KeyId = key.KeyMetadata.KeyId, Plaintext = new MemoryStream(Encoding.UTF8.GetBytes($"value {i}")) });
                return (key.KeyMetadata.KeyId, blob.CiphertextBlob);
            });
            acknowledged.AddRange(await Task.WhenAll(writes));
            server.KillHard();
        }

        await using var restarted = await CofferProcess.StartServerAsync(_dataDir);
        using var after = Kms(restarted.Endpoint, accessKey, secret);
        foreach (var (keyId, blob) in acknowledged)
        {
            Assert.Equal(KeyState.Enabled, (await after.DescribeKeyAsync(new DescribeKeyRequest { KeyId = keyId })).KeyMetadata.KeyState);
            var plaintext = await after.DecryptAsync(new DecryptRequest { CiphertextBlob = blob });
            Assert.StartsWith("value ", Encoding.UTF8.GetString(plaintext.Plaintext.ToArray()), StringComparison.Ordinal);
        }
    }

    /// <summary>Issue 9: a read's record is committed before the read is answered, without waiting
    /// for its own fsync; killing the process loses none of them, and the chain still verifies.</summary>
    [Fact]
    public async Task Every_answered_read_has_its_record_after_kill_minus_9_issue_9()
    {
        var (init, _) = await CofferProcess.RunAsync(["init", "--data-dir", _dataDir]);
        Assert.Equal(0, init);
        var (accessKey, secret) = ReadCredentialsFile();

        string[] answered;
        await using (var server = await CofferProcess.StartServerAsync(_dataDir))
        {
            using var kms = Kms(server.Endpoint, accessKey, secret);
            var key = await kms.CreateKeyAsync(new CreateKeyRequest { Description = "read under kill" });
            var blob = (await kms.EncryptAsync(new EncryptRequest { KeyId = key.KeyMetadata.KeyId, Plaintext = new MemoryStream("value"u8.ToArray()) })).CiphertextBlob.ToArray();
            var reads = Enumerable.Range(0, 40).Select(async _ =>
                (await kms.DecryptAsync(new DecryptRequest { CiphertextBlob = new MemoryStream(blob) })).ResponseMetadata.RequestId);
            answered = await Task.WhenAll(reads);
            server.KillHard();
        }

        using (var db = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(_dataDir, "coffer.db")};Mode=ReadOnly;Pooling=False"))
        {
            db.Open();
            foreach (var requestId in answered)
            {
                using var cmd = db.CreateCommand();
                cmd.CommandText = "SELECT count(*) FROM audit_log WHERE json_extract(record, '$.requestID') = $id AND json_extract(record, '$.eventName') = 'Decrypt'";
                cmd.Parameters.AddWithValue("$id", requestId);
                Assert.True((long)cmd.ExecuteScalar()! == 1, $"no record of the answered Decrypt {requestId}");
            }
        }

        var verify = await CofferProcess.RunAsync(["audit", "verify", "--data-dir", _dataDir]);
        Assert.True(verify.ExitCode == 0, verify.Output);
        await using var restarted = await CofferProcess.StartServerAsync(_dataDir);
    }

    [Fact]
    public async Task A_passphrase_sealed_server_refuses_calls_until_unsealed()
    {
        const string passphrase = "correct horse battery staple";
        var (init, initOutput) = await CofferProcess.RunAsync(["init", "--data-dir", _dataDir, "--seal", "passphrase"], new Dictionary<string, string> { ["COFFER_UNSEAL_PASSPHRASE"] = passphrase });
        Assert.True(init == 0, initOutput);
        Assert.True(File.Exists(Path.Combine(_dataDir, "root.sealed")));
        Assert.False(File.Exists(Path.Combine(_dataDir, "root.key")));
        var (accessKey, secret) = ReadCredentialsFile();

        await using (var sealedServer = await CofferProcess.StartServerAsync(_dataDir))
        {
            using var kms = Kms(sealedServer.Endpoint, accessKey, secret);
            var error = await Assert.ThrowsAnyAsync<AmazonKeyManagementServiceException>(() => kms.ListKeysAsync(new ListKeysRequest()));
            Assert.Equal(503, (int)error.StatusCode);
            Assert.Contains("sealed", error.Message, StringComparison.Ordinal);

            var wrong = await CofferProcess.RunAsync(["unseal", "--url", sealedServer.Endpoint], stdin: "wrong passphrase\n");
            Assert.NotEqual(0, wrong.ExitCode);
            await Assert.ThrowsAnyAsync<AmazonKeyManagementServiceException>(() => kms.ListKeysAsync(new ListKeysRequest()));

            var right = await CofferProcess.RunAsync(["unseal", "--url", sealedServer.Endpoint], stdin: passphrase + "\n");
            Assert.True(right.ExitCode == 0, right.Output);
            await kms.CreateKeyAsync(new CreateKeyRequest());
            Assert.DoesNotContain(passphrase, sealedServer.Output, StringComparison.Ordinal);
        }

        await using var autoUnsealed = await CofferProcess.StartServerAsync(_dataDir, new Dictionary<string, string> { ["COFFER_UNSEAL_PASSPHRASE"] = passphrase });
        using var client = Kms(autoUnsealed.Endpoint, accessKey, secret);
        Assert.Single((await client.ListKeysAsync(new ListKeysRequest())).Keys);
    }

    [Fact]
    public async Task Coffer_audit_verify_finds_an_edited_record()
    {
        Assert.Equal(0, (await CofferProcess.RunAsync(["init", "--data-dir", _dataDir])).ExitCode);
        var (accessKey, secret) = ReadCredentialsFile();
        await using (var server = await CofferProcess.StartServerAsync(_dataDir))
        {
            using var kms = Kms(server.Endpoint, accessKey, secret);
            for (var i = 0; i < 3; i++)
            {
                await kms.CreateKeyAsync(new CreateKeyRequest { Description = $"audited {i}" });
            }

            var live = await CofferProcess.RunAsync(["audit", "verify", "--data-dir", _dataDir]);
            Assert.True(live.ExitCode == 0, live.Output);
            Assert.Contains("intact: 3 records", live.Output, StringComparison.Ordinal);
        }

        using (var db = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(_dataDir, "coffer.db")};Pooling=False"))
        {
            db.Open();
            using var edit = db.CreateCommand();
            edit.CommandText = "UPDATE audit_log SET record = replace(record, 'CreateKey', 'DeleteKey') WHERE seq = 2";
            Assert.Equal(1, edit.ExecuteNonQuery());
        }

        var (exit, output) = await CofferProcess.RunAsync(["audit", "verify", "--data-dir", _dataDir]);
        Assert.Equal(1, exit);
        Assert.Contains("broken at record 2", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Print_config_redacts_secrets()
    {
        var (exit, output) = await CofferProcess.RunAsync(["server", "--dev", "--dev-root-secret-access-key", "super-secret-value", "--print-config"]);
        Assert.Equal(0, exit);
        Assert.Contains("dev-root-secret-access-key: (redacted)", output, StringComparison.Ordinal);
        Assert.DoesNotContain("super-secret-value", output, StringComparison.Ordinal);
    }

    private (string AccessKey, string Secret) ReadCredentialsFile()
    {
        var lines = File.ReadAllLines(Path.Combine(_dataDir, "root-credentials"));
        string Value(string name) => lines.Single(l => l.StartsWith(name, StringComparison.Ordinal)).Split('=', 2)[1].Trim();
        return (Value("aws_access_key_id"), Value("aws_secret_access_key"));
    }

    private static AmazonKeyManagementServiceClient Kms(string endpoint, string accessKey, string secret) =>
        new(new BasicAWSCredentials(accessKey, secret), new AmazonKeyManagementServiceConfig { ServiceURL = endpoint, AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 });

    public void Dispose() => Directory.Delete(Path.GetDirectoryName(_dataDir)!, recursive: true);
}
