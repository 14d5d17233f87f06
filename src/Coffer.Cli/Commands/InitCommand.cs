using System.CommandLine;
using Coffer.Server.Hosting;

namespace Coffer.Cli.Commands;

/// <summary><c>coffer init</c>: makes a data directory (root key, database, account, root credentials).</summary>
internal static class InitCommand
{
    public static Command Create()
    {
        var dataDir = CommonOptions.DataDir();
        var accountId = new Option<string?>("--account-id") { Description = "The 12-digit account id (default: random)." };
        var seal = new Option<string>("--seal")
        {
            Description = "How the root key is kept: 'keyfile' (root.key, mode 0600) or 'passphrase' (wrapped with Argon2id; the passphrase comes from COFFER_UNSEAL_PASSPHRASE or a prompt).",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("COFFER_UNSEAL_PASSPHRASE") is { Length: > 0 } ? "passphrase" : "keyfile",
        };
        seal.AcceptOnlyFromAmong("keyfile", "passphrase");
        var store = new Option<string?>("--store")
        {
            Description = "Where state is kept: sqlite (coffer.db in the data directory) or postgres://user:password@host:port/database (default: $COFFER_STORE, else sqlite).",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("COFFER_STORE"),
        };
        var tlsSan = TlsCommand.SanOption("Another DNS name or IP address for the server certificate, besides localhost, 127.0.0.1, ::1 and the host name (repeatable).");

        var command = new Command("init", "Initialize a data directory: a root key, the database, an account, its root credentials, and a CA with a server certificate for HTTPS.") { dataDir, accountId, seal, tlsSan, store };
        command.SetAction((parse, ct) => CommonOptions.RunAsync(async () =>
        {
            var dir = parse.GetValue(dataDir)!;
            DataDirectoryLock.ThrowIfHeld(dir);
            if (DataDirectory.IsInitialized(dir))
            {
                Console.Error.WriteLine($"{dir} is already initialized.");
                return 1;
            }

            var passphrase = parse.GetValue(seal) == "passphrase"
                ? CommonOptions.ReadSecret("COFFER_UNSEAL_PASSPHRASE", "Passphrase to seal the root key: ")
                : null;
            if (parse.GetValue(seal) == "passphrase" && string.IsNullOrEmpty(passphrase))
            {
                Console.Error.WriteLine("A passphrase is required to seal with a passphrase.");
                return 1;
            }

            var names = parse.GetValue(tlsSan) ?? [];
            if (names.FirstOrDefault(n => !TlsFiles.IsSubjectAltName(n)) is { } bad)
            {
                Console.Error.WriteLine($"--tls-san must be a DNS name or an IP address, got '{bad}'.");
                return 2;
            }

            if (StoreFactory.Check(parse.GetValue(store)) is { } storeError)
            {
                Console.Error.WriteLine($"--{storeError}.");
                return 2;
            }

            var credentials = await DataDirectory.InitializeAsync(dir, parse.GetValue(accountId), passphrase, tlsNames: names, store: parse.GetValue(store));
            CommonOptions.PrintCredentials(credentials, Path.Combine(dir, DataDirectory.CredentialsFileName), CofferServerOptions.DefaultHttpsUrls);
            Console.WriteLine();
            Console.WriteLine(TlsFiles.TrustInstructions(TlsFiles.CaCertificatePath(dir)));
            return 0;
        }));
        return command;
    }
}
