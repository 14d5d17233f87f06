using System.Reflection;
using Coffer.Core.Audit;
using Coffer.Core.Crypto;
using Coffer.Core.Diagnostics;
using Coffer.Core.Storage;
using Coffer.Server.Auth;
using Coffer.Server.Aws;
using Coffer.Server.Aws.Protocol;
using Coffer.Server.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Coffer.Server.Hosting;

/// <summary>Starts a Coffer server: opens (or, in dev mode, makes) its state, unseals it if it can, and listens.</summary>
public static class CofferServer
{
    public static string Version { get; } =
        typeof(CofferServer).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    public static async Task<RunningServer> StartAsync(CofferServerOptions options, Action<ILoggingBuilder>? logging = null, CancellationToken ct = default)
    {
        if (options.Validate() is { Count: > 0 } errors)
        {
            throw new ArgumentException(string.Join('\n', errors), nameof(options));
        }

        // One server per data directory (issue 8): a second one is refused before it opens anything.
        var dataLock = options.Dev ? null : DataDirectoryLock.Acquire(options.DataDir);
        try
        {
            return await StartLockedAsync(options, dataLock, logging, ct);
        }
        catch
        {
            dataLock?.Dispose();
            throw;
        }
    }

    private static async Task<RunningServer> StartLockedAsync(CofferServerOptions options, DataDirectoryLock? dataLock, Action<ILoggingBuilder>? logging, CancellationToken ct)
    {
        var keyring = new Keyring();
        ICofferStore store;
        RootCredentials? devCredentials = null;
        RootKey? startKey = null;
        string accountId;
        var auditChain = new AuditChainKeeper(options.Dev ? null : options.DataDir);
        if (options.Dev)
        {
            store = StoreFactory.Open(options.Store, options.DataDir, dev: true, auditChain);
            if (await DataDirectory.HasAccountAsync(store, ct))
            {
                await store.DisposeAsync();
                throw new InvalidOperationException("Dev mode needs an empty store; this database already holds an account.");
            }

            var root = RootKey.Generate();
            auditChain.Open(AuditKeys.Derive(root), 1);
            keyring.Unseal(root);
            accountId = options.DevAccountId ?? "000000000000";
            devCredentials = await DataDirectory.CreateRootAsync(store, keyring, accountId, options.DevRootAccessKeyId, options.DevRootSecretAccessKey, options.Time.GetUtcNow());
        }
        else
        {
            if (!DataDirectory.IsInitialized(options.DataDir))
            {
                throw new InvalidOperationException($"{options.DataDir} is not initialized: run 'coffer init' first.");
            }

            store = StoreFactory.Open(options.Store, options.DataDir, dev: false, auditChain);
            accountId = await DataDirectory.ReadAccountIdAsync(store, ct);
            startKey = RootKeySeal.Detect(options.DataDir) switch
            {
                SealKind.KeyFile => RootKeySeal.ReadKeyFile(options.DataDir),
                SealKind.Passphrase when options.UnsealPassphrase is not null => RootKeySeal.TryUnseal(options.DataDir, options.UnsealPassphrase)
                    ?? throw new InvalidOperationException("COFFER_UNSEAL_PASSPHRASE does not unseal this data directory."),
                _ => null,
            };
        }

        var builder = WebApplication.CreateSlimBuilder();
        var tls = options.ResolveTls();
        var certificate = tls is null ? null : new CertificateReloader(tls.CertificatePath, tls.KeyPath);
        builder.WebHost.UseUrls(options.ResolveUrls());
        if (certificate is not null)
        {
            builder.WebHost.UseKestrelHttpsConfiguration(); // the slim builder leaves HTTPS out
        }

        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = options.MaxRequestBodyBytes + 1;
            if (certificate is not null)
            {
                // Every https:// address serves the reloader's current certificate.
                k.ConfigureHttpsDefaults(https => https.ServerCertificateSelector = (_, _) => certificate.Current);
            }
        });
        builder.Logging.ClearProviders();
        TelemetrySetup.Add(builder, options);
        if (logging is null)
        {
            ServerLogging.AddConsole(builder.Logging, options.LogFormat);
            builder.Logging.AddFilter("Microsoft", LogLevel.Warning);

            // A start failure is thrown to the caller, which reports it in one line; the host's own copy is a stack trace.
            builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.None);
        }
        else
        {
            logging(builder.Logging);
        }

        var app = builder.Build();
        var loggerFactory = app.Services.GetRequiredService<ILoggerFactory>();
        var logger = loggerFactory.CreateLogger("Coffer");
        var services = new CofferServices(new MeteredStore(store), keyring, options.Time, accountId, auditChain, loggerFactory);
        certificate?.Logger = logger;
        auditChain.AnchorFailed = e => Log.AuditAnchorWriteFailed(logger, e);
        services.Retention = options.Dev ? null
            : new AuditRetention(store, auditChain, options.AuditArchiveDir ?? AuditArchive.DefaultDirectory(options.DataDir), options.AuditRetention, options.Time);
        if (startKey is not null)
        {
            try
            {
                // The chain is checked against its anchor before the server takes a call.
                await AuditStartup.OpenAsync(services, startKey, options, logger);
            }
            catch
            {
                startKey.Dispose();
                await app.DisposeAsync();
                await store.DisposeAsync();
                throw;
            }

            keyring.Unseal(startKey);
        }

        var verifier = new SigV4Verifier(services.Credentials, options.Time, options.RequestClock);
        var throttle = new Throttle(options.Throttle, options.RequestClock);
        var authenticator = new RequestAuthenticator(verifier, throttle);
        var json = new JsonProtocol(AwsServices.Json(), services, authenticator);
        var query = new QueryProtocol(AwsServices.Query(), services, authenticator);

        async Task ResetDevStateAsync()
        {
            await store.WipeAsync(CancellationToken.None);
            services.ClearCaches();
            await DataDirectory.CreateRootAsync(store, keyring, accountId, devCredentials!.AccessKeyId, devCredentials.SecretAccessKey, options.Time.GetUtcNow());
        }

        var unsealGate = new UnsealGate(options.RequestClock, options.UnsealQueueLength, options.UnsealFirstDelay, options.UnsealMaxDelay);
        Scheduler? scheduler = null; // made once the server listens; status reads what it found of the lease
        var admin = new AdminEndpoints(services, options, ResetDevStateAsync, verifier, unsealGate, logger, new EventStream(services, verifier, options.EventDelivery.PollInterval), () => scheduler?.RunsHere);
        var console = new Console.ConsoleEndpoints(services, verifier, throttle, logger);
        var pipeline = new RequestPipeline(services, json, query, admin, throttle, options.MaxRequestBodyBytes, console);
        var gaugeSample = new StoreGaugeSample(services);
        ServerGauges.Register(app.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), services, options, gaugeSample);
        TelemetrySetup.UseMetricsEndpoint(app, options, c => admin.AuthorizeOperatorAsync(c, "coffer:GetMetrics"), gaugeSample.RefreshAsync);
        app.Run(pipeline.InvokeAsync);

        await app.StartAsync(ct);
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.ToList();
        Log.Started(logger, Version, string.Join(", ", addresses), accountId, StoreFactory.IsPostgres(options.Store) ? "PostgreSQL" : options.Dev ? "in memory (dev mode)" : options.DataDir);
        if (keyring.IsSealed)
        {
            Log.Sealed(logger);
        }

        if (options.ScheduleInterval != Timeout.InfiniteTimeSpan)
        {
            // A rotation whose node went silent for three schedule intervals is adopted by the lease holder.
            services.Secrets.RotationHeartbeat = options.ScheduleInterval;
        }

        scheduler = new Scheduler(services, options.ScheduleInterval, logger);
        var dispatcher = new EventDispatcher(services, options.EventDelivery, loggerFactory.CreateLogger<EventDispatcher>());
        return new RunningServer(app, services, store, keyring, scheduler, addresses, devCredentials, dataLock, unsealGate, throttle) { Tls = tls, Dispatcher = dispatcher };
    }
}
