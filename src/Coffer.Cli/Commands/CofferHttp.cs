using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Coffer.Server.Hosting;

namespace Coffer.Cli.Commands;

/// <summary>
/// The HTTP handler of the coffer CLI's own calls (unseal, access, params, functions). Besides the
/// system's roots it trusts, as the AWS CLI does, the CA bundle in $AWS_CA_BUNDLE, and else the
/// default data directory's CA when the CLI runs on the server's host: so `coffer unseal` works
/// against a server with the certificate `coffer init` made, and the passphrase goes over TLS.
/// </summary>
internal static class CofferHttp
{
    public static HttpClient CreateClient() => new(CreateHandler());

    /// <summary>The same trust for the AWS SDK for .NET's clients.</summary>
    public sealed class Factory : Amazon.Runtime.HttpClientFactory
    {
        public override HttpClient CreateHttpClient(Amazon.Runtime.IClientConfig clientConfig) => CreateClient();
    }

    public static HttpClientHandler CreateHandler()
    {
        var bundle = Environment.GetEnvironmentVariable("AWS_CA_BUNDLE") is { Length: > 0 } fromEnv
            ? fromEnv
            : TlsFiles.CaCertificatePath(CofferServerOptions.DefaultDataDir());
        if (!File.Exists(bundle))
        {
            return new HttpClientHandler();
        }

        var roots = new X509Certificate2Collection();
        roots.ImportFromPemFile(bundle);
        return new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, certificate, _, errors) =>
            {
                if (errors == SslPolicyErrors.None)
                {
                    return true;
                }

                // Only an unknown issuer is forgiven, and only for a chain that ends at the bundle; a wrong host name never is.
                if (certificate is null || errors != SslPolicyErrors.RemoteCertificateChainErrors)
                {
                    return false;
                }

                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.AddRange(roots);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                return chain.Build(certificate);
            },
        };
    }
}
