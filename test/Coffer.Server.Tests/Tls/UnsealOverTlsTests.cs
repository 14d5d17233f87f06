using Coffer.Core.Crypto;
using Coffer.Server.Hosting;
using Coffer.Server.Tests.Infrastructure;

namespace Coffer.Server.Tests.Tls;

/// <summary>`coffer unseal` sends the passphrase over HTTPS, trusting the CA as the AWS CLI does (issue 8).</summary>
public sealed class UnsealOverTlsTests : IAsyncLifetime
{
    private const string Passphrase = "correct horse battery staple";
    private readonly string _root = Directory.CreateTempSubdirectory("coffer-unseal-tls-").FullName;
    private RunningServer? _server;

    private string DataDir => Path.Combine(_root, "data");

    public async Task InitializeAsync()
    {
        await DataDirectory.InitializeAsync(DataDir, null, Passphrase, new Argon2Parameters(MemoryKiB: 8 * 1024, Iterations: 1, Parallelism: 1));
        _server = await CofferServer.StartAsync(new CofferServerOptions { DataDir = DataDir, Urls = "https://127.0.0.1:0", ScheduleInterval = Timeout.InfiniteTimeSpan });
    }

    [Fact]
    public async Task Coffer_unseal_refuses_an_untrusted_certificate_then_unseals_with_AWS_CA_BUNDLE()
    {
        var url = _server!.BaseAddress.ToString().TrimEnd('/');
        var elsewhere = new Dictionary<string, string> { ["XDG_DATA_HOME"] = Path.Combine(_root, "nowhere"), ["COFFER_DATA_DIR"] = "" };
        var (untrusted, untrustedOutput) = await CofferProcess.RunAsync(["unseal", "--url", url], elsewhere, Passphrase + "\n");
        Assert.NotEqual(0, untrusted);
        Assert.DoesNotContain("   at ", untrustedOutput, StringComparison.Ordinal);
        Assert.True(_server.Services.Keyring.IsSealed);

        var trusted = new Dictionary<string, string>(elsewhere) { ["AWS_CA_BUNDLE"] = TlsFiles.CaCertificatePath(DataDir) };
        var (exit, output) = await CofferProcess.RunAsync(["unseal", "--url", url], trusted, Passphrase + "\n");
        Assert.True(exit == 0, output);
        Assert.False(_server.Services.Keyring.IsSealed);
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        Directory.Delete(_root, recursive: true);
    }
}
