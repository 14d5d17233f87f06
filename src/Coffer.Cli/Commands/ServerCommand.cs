using System.CommandLine;
using Coffer.Server.Hosting;

namespace Coffer.Cli.Commands;

/// <summary><c>coffer server</c>: runs the server; initializes an empty data directory on first start.</summary>
internal static class ServerCommand
{
    public static Command Create()
    {
        var dataDir = CommonOptions.DataDir();
        var urls = new Option<string>("--urls")
        {
            Description = "Where to listen, as ASP.NET's --urls (default: $ASPNETCORE_URLS, else http://127.0.0.1:4599).",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("ASPNETCORE_URLS") is { Length: > 0 } u ? u : CofferServerOptions.Default.Urls,
        };
        var dev = new Option<bool>("--dev") { Description = "Dev mode: in memory, unsealed, nothing written to disk, root credentials printed; POST /_coffer/reset wipes all state." };
        var devAccount = new Option<string?>("--dev-account-id") { Description = "Dev mode's account id (default 000000000000)." };
        var devKey = new Option<string?>("--dev-root-access-key-id") { Description = "Dev mode's root access key id (default: generated)." };
        var devSecret = new Option<string?>("--dev-root-secret-access-key") { Description = "Dev mode's root secret access key (default: generated)." };
        var accountId = new Option<string?>("--account-id") { Description = "On first start, the account id to initialize with (default: random)." };
        var printConfig = new Option<bool>("--print-config") { Description = "Print the configuration (secrets redacted) and exit." };
        var acceptAnchor = new Option<bool>("--accept-audit-anchor-mismatch")
        {
            Description = "Start even though the audit log does not match its anchor (audit.anchor): re-anchor it as it is and record in the log that you did.",
        };

        var command = new Command("server", "Run the Coffer server.") { dataDir, urls, dev, devAccount, devKey, devSecret, accountId, printConfig, acceptAnchor };
        command.SetAction(async (parse, ct) =>
        {
            var options = new CofferServerOptions
            {
                DataDir = parse.GetValue(dataDir)!,
                Urls = parse.GetValue(urls)!,
                Dev = parse.GetValue(dev),
                DevAccountId = parse.GetValue(devAccount),
                DevRootAccessKeyId = parse.GetValue(devKey),
                DevRootSecretAccessKey = parse.GetValue(devSecret),
                UnsealPassphrase = Environment.GetEnvironmentVariable("COFFER_UNSEAL_PASSPHRASE") is { Length: > 0 } p ? p : null,
                AcceptAuditAnchorMismatch = parse.GetValue(acceptAnchor),
            };

            if (parse.GetValue(printConfig))
            {
                Console.WriteLine(options.Describe());
                return 0;
            }

            if (options.DevAccountId is { } devAccountId && !DataDirectory.IsAccountId(devAccountId))
            {
                Console.Error.WriteLine("--dev-account-id must be 12 digits.");
                return 1;
            }

            RootCredentials? fresh = null;
            if (!options.Dev && !DataDirectory.IsInitialized(options.DataDir))
            {
                fresh = await DataDirectory.InitializeAsync(options.DataDir, parse.GetValue(accountId), options.UnsealPassphrase);
            }

            RunningServer server;
            try
            {
                server = await CofferServer.StartAsync(options, ct: ct);
            }
            catch (Core.Audit.AuditAnchorException e)
            {
                await Console.Error.WriteLineAsync($"coffer: refusing to start: {e.Message}");
                return ExitCodes.AuditAnchorMismatch;
            }
            catch (Microsoft.Data.Sqlite.SqliteException e)
            {
                await Console.Error.WriteLineAsync($"coffer: cannot open the database in {options.DataDir}: {e.Message}");
                return ExitCodes.CannotRead;
            }

            await using var running = server;
            if ((fresh ?? server.DevCredentials) is { } credentials)
            {
                CommonOptions.PrintCredentials(credentials, fresh is null ? null : Path.Combine(options.DataDir, DataDirectory.CredentialsFileName), server.BaseAddress.ToString().TrimEnd('/'));
            }

            await server.WaitForShutdownAsync(ct);
            return 0;
        });
        return command;
    }
}
