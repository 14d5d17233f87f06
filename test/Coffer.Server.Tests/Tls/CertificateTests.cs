using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Amazon.KeyManagementService.Model;
using Coffer.Server.Hosting;
using Coffer.Server.Tests.Infrastructure;

namespace Coffer.Server.Tests.Tls;

/// <summary>The certificates `coffer init` makes, and a renewed one served without a restart (issue 8).</summary>
public sealed class CertificateTests(TlsCofferFixture fixture) : IClassFixture<TlsCofferFixture>, IDisposable
{
    private readonly string _initDir = Path.Combine(Directory.CreateTempSubdirectory("coffer-init-").FullName, "data");

    [Fact]
    public async Task Coffer_init_makes_a_ca_and_a_server_certificate_for_the_host_and_the_names_given()
    {
        var (exit, text) = await CofferProcess.RunAsync(["init", "--data-dir", _initDir, "--tls-san", "coffer.example.com", "--tls-san", "10.9.8.7"]);
        Assert.True(exit == 0, text);
        Assert.Contains($"export AWS_CA_BUNDLE={TlsFiles.CaCertificatePath(_initDir)}", text, StringComparison.Ordinal);
        Assert.Contains($"export NODE_EXTRA_CA_CERTS={TlsFiles.CaCertificatePath(_initDir)}", text, StringComparison.Ordinal);

        using var ca = X509CertificateLoader.LoadCertificateFromFile(TlsFiles.CaCertificatePath(_initDir));
        using var server = X509CertificateLoader.LoadCertificateFromFile(TlsFiles.ServerCertificatePath(_initDir));
        Assert.True(ca.Extensions.OfType<X509BasicConstraintsExtension>().Single().CertificateAuthority);
        Assert.False(server.Extensions.OfType<X509BasicConstraintsExtension>().Single().CertificateAuthority);
        Assert.True(ChainsTo(server, ca));

        var san = server.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
        Assert.Superset(new HashSet<string> { "localhost", Dns.GetHostName(), "coffer.example.com" }, san.EnumerateDnsNames().ToHashSet());
        Assert.Superset(new HashSet<IPAddress> { IPAddress.Loopback, IPAddress.IPv6Loopback, IPAddress.Parse("10.9.8.7") }, san.EnumerateIPAddresses().ToHashSet());

        if (!OperatingSystem.IsWindows())
        {
            const UnixFileMode ownerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            Assert.Equal(ownerOnly, File.GetUnixFileMode(TlsFiles.ServerKeyPath(_initDir)));
            Assert.Equal(ownerOnly, File.GetUnixFileMode(TlsFiles.CaKeyPath(_initDir)));
        }
    }

    [Fact]
    public async Task A_renewed_certificate_is_served_from_the_next_connection_without_a_restart()
    {
        var before = await PresentedCertificateAsync();
        var (exit, text) = await CofferProcess.RunAsync(["tls", "renew", "--data-dir", fixture.DataDir]);
        Assert.True(exit == 0, text);

        using var renewed = X509CertificateLoader.LoadCertificateFromFile(TlsFiles.ServerCertificatePath(fixture.DataDir));
        Assert.NotEqual(before.SerialNumber, renewed.SerialNumber);
        var after = await PresentedCertificateAsync();
        Assert.Equal(renewed.SerialNumber, after.SerialNumber);
        Assert.Contains(TlsCofferFixture.ExtraName, after.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single().EnumerateDnsNames());

        using var kms = fixture.Kms();
        await kms.ListKeysAsync(new ListKeysRequest());
    }

    [Fact]
    public async Task A_key_that_does_not_match_leaves_the_previous_certificate_served()
    {
        var before = await PresentedCertificateAsync();
        var keyPath = TlsFiles.ServerKeyPath(fixture.DataDir);
        var goodKey = await File.ReadAllTextAsync(keyPath);
        try
        {
            await File.WriteAllTextAsync(keyPath, await File.ReadAllTextAsync(TlsFiles.CaKeyPath(fixture.DataDir)));
            Assert.Equal(before.SerialNumber, (await PresentedCertificateAsync()).SerialNumber);
        }
        finally
        {
            await File.WriteAllTextAsync(keyPath, goodKey);
        }

        Assert.Equal(before.SerialNumber, (await PresentedCertificateAsync()).SerialNumber);
    }

    public void Dispose()
    {
        if (Directory.Exists(Path.GetDirectoryName(_initDir)))
        {
            Directory.Delete(Path.GetDirectoryName(_initDir)!, recursive: true);
        }
    }

    /// <summary>A new TCP connection and a full handshake (no session resumption), and the certificate
    /// the server presented in it.</summary>
    private async Task<X509Certificate2> PresentedCertificateAsync()
    {
        var endpoint = fixture.Server.BaseAddress;
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(endpoint.Host, endpoint.Port);
        await using var tls = new SslStream(tcp.GetStream());
        using var ca = X509CertificateLoader.LoadCertificateFromFile(fixture.CaPath);
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "localhost",
            AllowTlsResume = false,
            RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                certificate is not null && (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) == SslPolicyErrors.None
                && ChainsTo(X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()), ca),
        });
        return X509CertificateLoader.LoadCertificate(tls.RemoteCertificate!.GetRawCertData());
    }

    private static bool ChainsTo(X509Certificate2 certificate, X509Certificate2 ca)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate);
    }
}
