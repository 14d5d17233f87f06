using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Coffer.Core.Crypto;

namespace Coffer.Server.Hosting;

/// <summary>
/// The data directory's TLS material in <c>tls/</c>: a private CA (<c>ca.pem</c>, public;
/// <c>ca.key</c>, mode 0600, kept so the server certificate can be re-issued) and a server
/// certificate it signed (<c>server.pem</c>; <c>server.key</c>, mode 0600). ECDSA P-256 throughout.
/// </summary>
public static class TlsFiles
{
    public const string Folder = "tls";
    public static readonly TimeSpan CaLifetime = TimeSpan.FromDays(3650);

    /// <summary>397 days, the longest that browsers and Apple platforms accept for a server certificate.</summary>
    public static readonly TimeSpan ServerLifetime = TimeSpan.FromDays(397);

    public static string CaCertificatePath(string dataDir) => Path.Combine(dataDir, Folder, "ca.pem");

    public static string CaKeyPath(string dataDir) => Path.Combine(dataDir, Folder, "ca.key");

    public static string ServerCertificatePath(string dataDir) => Path.Combine(dataDir, Folder, "server.pem");

    public static string ServerKeyPath(string dataDir) => Path.Combine(dataDir, Folder, "server.key");

    public static bool Exist(string dataDir) => File.Exists(ServerCertificatePath(dataDir)) && File.Exists(ServerKeyPath(dataDir));

    /// <summary>The names every server certificate carries, before those the user adds.</summary>
    public static IReadOnlyList<string> DefaultNames() => ["localhost", "127.0.0.1", "::1", Dns.GetHostName()];

    public static bool IsSubjectAltName(string name) =>
        IPAddress.TryParse(name, out _) || Uri.CheckHostName(name) == UriHostNameType.Dns;

    /// <summary>
    /// Issues a server certificate from the data directory's CA, making the CA first if there is
    /// none. The names are the defaults, those of the current certificate (so a renewal keeps
    /// them) and <paramref name="extraNames"/>. Files are replaced by rename, so a running server
    /// never reads half a file; it picks the new certificate up at its next handshake.
    /// </summary>
    public static X509Certificate2 Issue(string dataDir, IEnumerable<string> extraNames, DateTimeOffset now)
    {
        var folder = Path.Combine(dataDir, Folder);
        Directory.CreateDirectory(folder);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        using var ca = File.Exists(CaCertificatePath(dataDir)) && File.Exists(CaKeyPath(dataDir))
            ? X509Certificate2.CreateFromPemFile(CaCertificatePath(dataDir), CaKeyPath(dataDir))
            : CreateCa(dataDir, now);

        var names = DefaultNames().Concat(CurrentNames(dataDir)).Concat(extraNames).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={names.FirstOrDefault(n => !IPAddress.TryParse(n, out _)) ?? "localhost"}, O=Coffer", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1", "Server Authentication")], critical: false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        var san = new SubjectAlternativeNameBuilder();
        foreach (var name in names)
        {
            if (IPAddress.TryParse(name, out var ip))
            {
                san.AddIpAddress(ip);
            }
            else
            {
                san.AddDnsName(name);
            }
        }

        request.CertificateExtensions.Add(san.Build());
        var notAfter = now + ServerLifetime < ca.NotAfter ? now + ServerLifetime : new DateTimeOffset(ca.NotAfter.ToUniversalTime());
        var issued = request.Create(ca, now.AddMinutes(-5), notAfter, SerialNumber());

        // The key first: until the certificate follows, the pair does not match and the server keeps the old one.
        WriteReplacing(ServerKeyPath(dataDir), key.ExportPkcs8PrivateKeyPem(), secret: true);
        WriteReplacing(ServerCertificatePath(dataDir), issued.ExportCertificatePem() + "\n", secret: false);
        return issued;
    }

    /// <summary>What a client needs to trust this CA, one line per client kind.</summary>
    public static string TrustInstructions(string caPath) => string.Join('\n',
        $"Clients trust Coffer's certificate authority ({caPath}) with:",
        $"  export AWS_CA_BUNDLE={caPath}           # AWS CLI, boto3 and the SDKs that read it",
        $"  aws --ca-bundle {caPath} ...            # AWS CLI, per command",
        $"  export NODE_EXTRA_CA_CERTS={caPath}     # AWS SDK for JavaScript v2 and v3",
        "  .NET: add ca.pem to the system's trusted certificates, or validate against it in an HttpClientFactory (see README, TLS)",
        $"  Browsers (the console): import it as an authority; Chromium and Chrome on Linux: certutil -d sql:$HOME/.pki/nssdb -A -t C,, -n \"Coffer CA\" -i {caPath}");

    private static X509Certificate2 CreateCa(string dataDir, DateTimeOffset now)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN=Coffer CA {Dns.GetHostName()} {now:yyyy-MM-dd}, O=Coffer", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, critical: true));
        var ski = new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false);
        request.CertificateExtensions.Add(ski);
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromSubjectKeyIdentifier(ski));
        using var ca = request.CreateSelfSigned(now.AddMinutes(-5), now + CaLifetime);
        WriteReplacing(CaKeyPath(dataDir), key.ExportPkcs8PrivateKeyPem(), secret: true);
        WriteReplacing(CaCertificatePath(dataDir), ca.ExportCertificatePem() + "\n", secret: false);
        return X509Certificate2.CreateFromPemFile(CaCertificatePath(dataDir), CaKeyPath(dataDir));
    }

    private static IEnumerable<string> CurrentNames(string dataDir)
    {
        if (!File.Exists(ServerCertificatePath(dataDir)))
        {
            return [];
        }

        using var current = X509CertificateLoader.LoadCertificateFromFile(ServerCertificatePath(dataDir));
        var san = current.Extensions.OfType<X509SubjectAlternativeNameExtension>().FirstOrDefault();
        return san is null ? [] : [.. san.EnumerateDnsNames(), .. san.EnumerateIPAddresses().Select(ip => ip.ToString())];
    }

    private static byte[] SerialNumber()
    {
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F; // positive, as DER integers for serials must be
        serial[0] |= 0x01; // and without a leading zero byte
        return serial;
    }

    private static void WriteReplacing(string path, string contents, bool secret)
    {
        var temporary = path + ".new";
        if (secret)
        {
            SecureFile.WriteAllText(temporary, contents);
        }
        else
        {
            File.WriteAllText(temporary, contents);
        }

        File.Move(temporary, path, overwrite: true);
    }
}
