using System.CommandLine;
using Coffer.Server.Hosting;

namespace Coffer.Cli.Commands;

/// <summary><c>coffer tls renew</c>: a new server certificate from the data directory's CA.</summary>
internal static class TlsCommand
{
    public static Option<string[]> SanOption(string description) => new("--tls-san")
    {
        Description = description,
        AllowMultipleArgumentsPerToken = false,
    };

    public static Command Create()
    {
        var dataDir = CommonOptions.DataDir();
        var tlsSan = SanOption("A DNS name or IP address to add to the certificate's names (repeatable); the current names are kept.");
        var renew = new Command("renew", "Issue a new server certificate (tls/server.pem, tls/server.key) from the data directory's CA, making the CA if there is none. A running server serves it from its next connection on.") { dataDir, tlsSan };
        renew.SetAction(parse =>
        {
            var dir = parse.GetValue(dataDir)!;
            var names = parse.GetValue(tlsSan) ?? [];
            if (names.FirstOrDefault(n => !TlsFiles.IsSubjectAltName(n)) is { } bad)
            {
                Console.Error.WriteLine($"--tls-san must be a DNS name or an IP address, got '{bad}'.");
                return 2;
            }

            if (!DataDirectory.IsInitialized(dir))
            {
                Console.Error.WriteLine($"{dir} is not initialized: run 'coffer init' first.");
                return 1;
            }

            using var issued = TlsFiles.Issue(dir, names, DateTimeOffset.UtcNow);
            Console.WriteLine($"Issued {TlsFiles.ServerCertificatePath(dir)}: serial {issued.SerialNumber}, valid until {issued.NotAfter.ToUniversalTime():u}.");
            Console.WriteLine(TlsFiles.TrustInstructions(TlsFiles.CaCertificatePath(dir)));
            return 0;
        });
        return new Command("tls", "The server's TLS certificate.") { renew };
    }
}
