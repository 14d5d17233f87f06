using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Amazon.KeyManagementService;
using Amazon.Runtime;
using Coffer.Server.Hosting;

namespace Coffer.Server.Tests.Infrastructure;

/// <summary>
/// A real Coffer server outside dev mode, on a fresh data directory initialized as `coffer init`
/// does (so with its own CA and server certificate), serving HTTPS on a loopback port. Clients
/// reach it only by trusting the data directory's CA, as users are told to.
/// </summary>
public sealed class TlsCofferFixture : IAsyncLifetime
{
    public const string ExtraName = "coffer.test";

    private readonly string _root = Directory.CreateTempSubdirectory("coffer-tls-").FullName;
    private RunningServer? _server;

    public string DataDir => Path.Combine(_root, "data");

    public RootCredentials Root { get; private set; } = null!;

    public RunningServer Server => _server ?? throw new InvalidOperationException("The server has not started.");

    public string Endpoint => Server.BaseAddress.ToString().TrimEnd('/');

    public string CaPath => TlsFiles.CaCertificatePath(DataDir);

    public async Task InitializeAsync()
    {
        Root = await DataDirectory.InitializeAsync(DataDir, null, null, tlsNames: [ExtraName]);
        _server = await CofferServer.StartAsync(new CofferServerOptions
        {
            DataDir = DataDir,
            Urls = "https://127.0.0.1:0",
            ScheduleInterval = Timeout.InfiniteTimeSpan,
        });
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        Directory.Delete(_root, recursive: true);
    }

    /// <summary>The environment for the CLI, boto3 and node: the root's keys, the HTTPS endpoint and,
    /// unless <paramref name="trustCa"/> is false, the CA as each client is told to trust it.</summary>
    public Dictionary<string, string> ClientEnvironment(bool trustCa = true)
    {
        var env = new Dictionary<string, string>
        {
            ["AWS_ACCESS_KEY_ID"] = Root.AccessKeyId,
            ["AWS_SECRET_ACCESS_KEY"] = Root.SecretAccessKey,
            ["AWS_REGION"] = CofferFixture.Region,
            ["AWS_DEFAULT_REGION"] = CofferFixture.Region,
            ["AWS_ENDPOINT_URL"] = Endpoint,
            ["AWS_PAGER"] = "",
            ["AWS_CONFIG_FILE"] = "/dev/null",
            ["AWS_SHARED_CREDENTIALS_FILE"] = "/dev/null",
            ["AWS_MAX_ATTEMPTS"] = "1",
        };
        if (trustCa)
        {
            env["AWS_CA_BUNDLE"] = CaPath;
            env["NODE_EXTRA_CA_CERTS"] = CaPath;
        }

        return env;
    }

    /// <summary>The AWS SDK for .NET trusting the data directory's CA through its HttpClientFactory.</summary>
    public AmazonKeyManagementServiceClient Kms(bool trustCa = true) =>
        new(new BasicAWSCredentials(Root.AccessKeyId, Root.SecretAccessKey), new AmazonKeyManagementServiceConfig
        {
            ServiceURL = Endpoint,
            AuthenticationRegion = CofferFixture.Region,
            MaxErrorRetry = 0,
            HttpClientFactory = trustCa ? new CaTrustingHttpClientFactory(CaPath) : null,
        });
}

/// <summary>How a .NET program trusts Coffer's CA without adding it to the machine's store: an
/// HttpClientFactory whose handler builds the server's chain against that CA alone. The host name
/// is still checked.</summary>
public sealed class CaTrustingHttpClientFactory(string caPath) : HttpClientFactory
{
    public override HttpClient CreateHttpClient(IClientConfig clientConfig) => new(Handler(caPath));

    public static HttpClientHandler Handler(string caPath)
    {
        var ca = X509CertificateLoader.LoadCertificateFromFile(caPath);
        return new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, certificate, _, errors) =>
            {
                if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None)
                {
                    return false;
                }

                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.Add(ca);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                return chain.Build(certificate);
            },
        };
    }
}
