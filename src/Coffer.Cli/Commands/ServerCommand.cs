using System.CommandLine;
using Coffer.Server.Hosting;

namespace Coffer.Cli.Commands;

/// <summary><c>coffer server</c>: runs the server; initializes an empty data directory on first start.</summary>
internal static class ServerCommand
{
    /// <summary>The exit code for settings that do not validate.</summary>
    public const int BadSettings = 2;

    public static Command Create()
    {
        var config = new Option<string?>("--config") { Description = $"A JSON settings file (default: $COFFER_CONFIG, else <data-dir>/{ServerSettings.FileName} if present). The environment (COFFER_*) overrides it, and the command line both." };
        Option[] settings =
        [
            new Option<string?>("--data-dir") { Description = "The data directory (default: $COFFER_DATA_DIR, else $XDG_DATA_HOME/coffer, else ~/.local/share/coffer)." },
            new Option<string?>("--store") { Description = "Where state is kept: sqlite (default: coffer.db in the data directory) or postgres://user:password@host:port/database, shared by several nodes (default: $COFFER_STORE)." },
            new Option<string?>("--urls") { Description = $"Where to listen, as ASP.NET's --urls (default: $COFFER_URLS, else $ASPNETCORE_URLS, else {CofferServerOptions.DefaultHttpsUrls} with a certificate, {CofferServerOptions.DefaultHttpUrls} without)." },
            new Option<bool>("--dev") { Description = "Dev mode: in memory, unsealed, nothing written to disk, root credentials printed; POST /_coffer/reset wipes all state. Plain HTTP unless --tls-cert is given." },
            new Option<string?>("--dev-account-id") { Description = "Dev mode's account id (default 000000000000)." },
            new Option<string?>("--dev-root-access-key-id") { Description = "Dev mode's root access key id (default: generated)." },
            new Option<string?>("--dev-root-secret-access-key") { Description = "Dev mode's root secret access key (default: generated)." },
            new Option<string?>("--tls-cert") { Description = "Serve HTTPS with this PEM certificate (default: <data-dir>/tls/server.pem, made by 'coffer init'). Reloaded when the file changes." },
            new Option<string?>("--tls-key") { Description = "The PEM private key of --tls-cert." },
            new Option<string[]>("--tls-san") { Description = "On first start, another DNS name or IP address for the server certificate (repeatable).", AllowMultipleArgumentsPerToken = false },
            new Option<bool>("--allow-insecure-http") { Description = "Allow plain HTTP on an address other than loopback (when a proxy in front ends TLS)." },
            new Option<string?>("--max-request-body-bytes") { Description = "Largest request body accepted (1024 to 16777216; default 1048576)." },
            new Option<string?>("--schedule-interval") { Description = "How often scheduled work runs: seconds, hh:mm:ss or off (default 30)." },
            new Option<string?>("--log-format") { Description = "simple (a line of text per message, the default) or json (one JSON object per line)." },
            new Option<string?>("--metrics") { Description = "Serve Prometheus metrics at /_coffer/metrics: true (default) or false." },
            new Option<string?>("--metrics-from-loopback") { Description = "Answer /_coffer/metrics and /_coffer/status unsigned on loopback: true (default) or false (every scrape signed, allowed coffer:GetMetrics)." },
            new Option<string?>("--otlp-endpoint") { Description = "Send traces over OTLP to this URL (gRPC, or HTTP when it ends in /v1/traces). Default: tracing off." },
            new Option<bool>("--accept-audit-anchor-mismatch") { Description = "Start even though the audit log does not match its anchor (audit.anchor): re-anchor it as it is and record in the log that you did." },
        ];
        var accountId = new Option<string?>("--account-id") { Description = "On first start, the account id to initialize with (default: random)." };
        var printConfig = new Option<bool>("--print-config") { Description = "Print the configuration (secrets redacted) and exit." };

        var command = new Command("server", "Run the Coffer server.") { config, accountId, printConfig };
        foreach (var option in settings)
        {
            command.Options.Add(option);
        }

        command.SetAction((parse, ct) => CommonOptions.RunAsync(async () =>
        {
            var errors = new List<string>();
            var options = ServerSettings.Bind(parse, config, settings, errors);

            // A data directory about to be made gets its certificate at init: check the URLs as they will be.
            var firstStart = !options.Dev && !DataDirectory.IsInitialized(options.DataDir);
            errors.AddRange(options.Validate(certificateWillExist: firstStart));

            if (errors.Count > 0)
            {
                foreach (var error in errors)
                {
                    await Console.Error.WriteLineAsync($"coffer server: {error}");
                }

                return BadSettings;
            }

            if (parse.GetValue(printConfig))
            {
                // As the server will run: the URLs and certificate files it picks when none are given.
                var tls = options.ResolveTls();
                Console.WriteLine((options with
                {
                    Urls = options.ResolveUrls(certificateWillExist: firstStart),
                    TlsCert = tls?.CertificatePath ?? (firstStart ? TlsFiles.ServerCertificatePath(options.DataDir) : null),
                    TlsKey = tls?.KeyPath ?? (firstStart ? TlsFiles.ServerKeyPath(options.DataDir) : null),
                }).Describe());
                return 0;
            }

            RootCredentials? fresh = null;
            if (firstStart)
            {
                fresh = await DataDirectory.InitializeAsync(options.DataDir, parse.GetValue(accountId), options.UnsealPassphrase, tlsNames: options.TlsSan, store: options.Store);
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
            catch (Exception e) when (e is IOException or InvalidOperationException or InvalidDataException or UnauthorizedAccessException)
            {
                // A port in use, a wrong passphrase, an unreadable directory: the cause, not a stack trace.
                await Console.Error.WriteLineAsync($"coffer server: cannot start: {e.Message}");
                return 1;
            }

            await using var running = server;
            if ((fresh ?? server.DevCredentials) is { } credentials)
            {
                CommonOptions.PrintCredentials(credentials, fresh is null ? null : Path.Combine(options.DataDir, DataDirectory.CredentialsFileName), server.BaseAddress.ToString().TrimEnd('/'));
            }
            else if (!options.Dev && Path.Combine(options.DataDir, DataDirectory.CredentialsFileName) is var kept && File.Exists(kept))
            {
                // A first start that failed after making the data directory (a port in use) printed
                // no keys; the next start says where they are, until the file is removed.
                Console.WriteLine($"The root's credentials from the first start are in {kept} (mode 0600): keep them elsewhere and delete the file.");
            }

            if (server.Tls?.CaCertificatePath is { } ca && server.Addresses.Any(a => a.StartsWith("https:", StringComparison.Ordinal)))
            {
                Console.WriteLine();
                Console.WriteLine(TlsFiles.TrustInstructions(ca));
                Console.Out.Flush();
            }

            await server.WaitForShutdownAsync(ct);
            return 0;
        }));
        return command;
    }
}
