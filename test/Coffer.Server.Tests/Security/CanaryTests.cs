using System.Text;
using Amazon.KeyManagementService;
using Amazon.KeyManagementService.Model;
using Amazon.Runtime;
using Coffer.Server.Hosting;
using Coffer.Server.Tests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace Coffer.Server.Tests.Security;

/// <summary>
/// A known plaintext goes through every KMS operation that carries one, in success and in failure;
/// afterwards it is nowhere on disk (database, WAL), in no log line and in no error message. The
/// root secret access key is not on disk in plaintext either, beside its owner-only credentials file.
/// </summary>
public sealed class CanaryTests : IAsyncLifetime
{
    private readonly string _canary = "CANARY-" + Guid.NewGuid().ToString("N");
    private readonly string _dataDir = Directory.CreateTempSubdirectory("coffer-canary-").FullName;
    private readonly LogCapture _logs = new();
    private readonly List<string> _errors = [];
    private RunningServer? _server;
    private RootCredentials? _root;

    public async Task InitializeAsync()
    {
        _root = await DataDirectory.InitializeAsync(_dataDir, "111122223333", null);
        _server = await CofferServer.StartAsync(
            new CofferServerOptions { DataDir = _dataDir, Urls = "http://127.0.0.1:0", ScheduleInterval = Timeout.InfiniteTimeSpan },
            logging => logging.AddProvider(_logs).SetMinimumLevel(LogLevel.Trace));
    }

    [Fact]
    public async Task The_canary_appears_nowhere()
    {
        using var kms = new AmazonKeyManagementServiceClient(
            new BasicAWSCredentials(_root!.AccessKeyId, _root.SecretAccessKey),
            new AmazonKeyManagementServiceConfig { ServiceURL = _server!.BaseAddress.ToString(), AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 });
        var visible = "VISIBLE-" + Guid.NewGuid().ToString("N");
        var key = (await kms.CreateKeyAsync(new CreateKeyRequest { Description = visible })).KeyMetadata.KeyId;
        var other = (await kms.CreateKeyAsync(new CreateKeyRequest())).KeyMetadata.KeyId;

        var blob = (await kms.EncryptAsync(new EncryptRequest { KeyId = key, Plaintext = Canary() })).CiphertextBlob;
        Assert.Equal(_canary, Encoding.UTF8.GetString((await kms.DecryptAsync(new DecryptRequest { CiphertextBlob = blob })).Plaintext.ToArray()));
        var moved = (await kms.ReEncryptAsync(new ReEncryptRequest { CiphertextBlob = blob, DestinationKeyId = other })).CiphertextBlob;
        await kms.DecryptAsync(new DecryptRequest { CiphertextBlob = moved });

        await Fails(() => kms.EncryptAsync(new EncryptRequest { KeyId = "alias/missing", Plaintext = Canary() }));
        await Fails(() => kms.EncryptAsync(new EncryptRequest { KeyId = key, Plaintext = new MemoryStream(Encoding.UTF8.GetBytes(_canary + new string('!', 4096))) }));
        await Fails(() => kms.EncryptAsync(new EncryptRequest { KeyId = key, Plaintext = Canary(), EncryptionAlgorithm = EncryptionAlgorithmSpec.RSAES_OAEP_SHA_256 }));
        await Fails(() => kms.DecryptAsync(new DecryptRequest { CiphertextBlob = blob, KeyId = other }));
        await Fails(() => kms.DecryptAsync(new DecryptRequest { CiphertextBlob = blob, EncryptionContext = new() { ["a"] = "b" } }));
        await kms.DisableKeyAsync(new DisableKeyRequest { KeyId = key });
        await Fails(() => kms.EncryptAsync(new EncryptRequest { KeyId = key, Plaintext = Canary() }));

        await _server.DisposeAsync();
        _server = null;

        // The control: a description is not a secret, and the scan must see it, or the scan sees nothing.
        Assert.True(Contains(await File.ReadAllBytesAsync(Path.Combine(_dataDir, "coffer.db")), Encoding.UTF8.GetBytes(visible)));

        var forms = new[] { _canary, Convert.ToBase64String(Encoding.UTF8.GetBytes(_canary)), _root.SecretAccessKey };
        foreach (var file in Directory.EnumerateFiles(_dataDir).Where(f => Path.GetFileName(f) != DataDirectory.CredentialsFileName))
        {
            var bytes = await File.ReadAllBytesAsync(file);
            foreach (var form in forms)
            {
                Assert.False(Contains(bytes, Encoding.UTF8.GetBytes(form)), $"{form[..10]}... found in {Path.GetFileName(file)}");
            }
        }

        Assert.NotEmpty(_logs.Lines);
        Assert.DoesNotContain(_logs.Lines, l => forms.Any(f => l.Contains(f, StringComparison.Ordinal)));
        Assert.Equal(6, _errors.Count);
        Assert.DoesNotContain(_errors, e => e.Contains(_canary, StringComparison.Ordinal));
    }

    private MemoryStream Canary() => new(Encoding.UTF8.GetBytes(_canary));

    private async Task Fails(Func<Task> call)
    {
        var error = await Assert.ThrowsAnyAsync<AmazonKeyManagementServiceException>(call);
        _errors.Add(error.Message + " " + error.ErrorCode);
    }

    private static bool Contains(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle) >= 0;

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        Directory.Delete(_dataDir, recursive: true);
    }
}
