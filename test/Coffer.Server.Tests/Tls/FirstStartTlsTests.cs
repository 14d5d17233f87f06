using Amazon.Runtime;
using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using Coffer.Server.Hosting;
using Coffer.Server.Tests.Infrastructure;

namespace Coffer.Server.Tests.Tls;

/// <summary>The real `coffer server` on an empty data directory: it makes the CA and certificate,
/// serves HTTPS, and tells how clients trust it (issue 8).</summary>
public sealed class FirstStartTlsTests : IDisposable
{
    private readonly string _dataDir = Path.Combine(Directory.CreateTempSubdirectory("coffer-first-tls-").FullName, "data");

    [Fact]
    public async Task First_start_serves_https_and_prints_how_clients_trust_the_ca()
    {
        await using var server = await CofferProcess.StartServerAsync(_dataDir, https: true, null, "--tls-san", "coffer.internal");
        var ca = TlsFiles.CaCertificatePath(_dataDir);
        Assert.Contains($"export AWS_CA_BUNDLE={ca}", server.Output, StringComparison.Ordinal);
        Assert.Contains($"aws --ca-bundle {ca}", server.Output, StringComparison.Ordinal);
        Assert.Contains($"export NODE_EXTRA_CA_CERTS={ca}", server.Output, StringComparison.Ordinal);
        Assert.Contains(".NET:", server.Output, StringComparison.Ordinal);

        var lines = File.ReadAllLines(Path.Combine(_dataDir, "root-credentials"));
        string Value(string name) => lines.Single(l => l.StartsWith(name, StringComparison.Ordinal)).Split('=', 2)[1].Trim();
        using var ssm = new AmazonSimpleSystemsManagementClient(
            new BasicAWSCredentials(Value("aws_access_key_id"), Value("aws_secret_access_key")),
            new AmazonSimpleSystemsManagementConfig { ServiceURL = server.Endpoint, AuthenticationRegion = "us-east-1", MaxErrorRetry = 0, HttpClientFactory = new CaTrustingHttpClientFactory(ca) });
        await ssm.PutParameterAsync(new PutParameterRequest { Name = "/first/tls", Type = ParameterType.SecureString, Value = "over tls" });
        var got = await ssm.GetParameterAsync(new GetParameterRequest { Name = "/first/tls", WithDecryption = true });
        Assert.Equal("over tls", got.Parameter.Value);
    }

    public void Dispose() => Directory.Delete(Path.GetDirectoryName(_dataDir)!, recursive: true);
}
