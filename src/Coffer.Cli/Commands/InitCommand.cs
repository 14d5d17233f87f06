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

        var command = new Command("init", "Initialize a data directory: a root key, the database, an account and its root credentials.") { dataDir, accountId, seal };
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

            var credentials = await DataDirectory.InitializeAsync(dir, parse.GetValue(accountId), passphrase);
            CommonOptions.PrintCredentials(credentials, Path.Combine(dir, DataDirectory.CredentialsFileName), "http://127.0.0.1:4599");
            return 0;
        }));
        return command;
    }
}
