using System.Reflection;
using Coffer.Core.Crypto;
using Coffer.Core.Storage;
using Coffer.Server.Auth;
using Coffer.Server.Aws;
using Coffer.Server.Aws.Protocol;
using Coffer.Storage.Sqlite;
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
        var keyring = new Keyring();
        ICofferStore store;
        RootCredentials? devCredentials = null;
        string accountId;
        if (options.Dev)
        {
            store = SqliteStore.OpenMemory();
            keyring.Unseal(RootKey.Generate());
            accountId = options.DevAccountId ?? "000000000000";
            devCredentials = await DataDirectory.CreateRootAsync(store, keyring, accountId, options.DevRootAccessKeyId, options.DevRootSecretAccessKey, options.Time.GetUtcNow());
        }
        else
        {
            if (!DataDirectory.IsInitialized(options.DataDir))
            {
                throw new InvalidOperationException($"{options.DataDir} is not initialized: run 'coffer init' first.");
            }

            store = SqliteStore.OpenFile(options.DataDir);
            accountId = DataDirectory.ReadAccountId(store);
            switch (RootKeySeal.Detect(options.DataDir))
            {
                case SealKind.KeyFile:
                    keyring.Unseal(RootKeySeal.ReadKeyFile(options.DataDir));
                    break;
                case SealKind.Passphrase when options.UnsealPassphrase is not null:
                    keyring.Unseal(RootKeySeal.TryUnseal(options.DataDir, options.UnsealPassphrase)
                        ?? throw new InvalidOperationException("COFFER_UNSEAL_PASSPHRASE does not unseal this data directory."));
                    break;
            }
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(options.Urls);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = options.MaxRequestBodyBytes + 1;
        });
        builder.Logging.ClearProviders();
        if (logging is null)
        {
            builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
            builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        }
        else
        {
            logging(builder.Logging);
        }

        var app = builder.Build();
        var loggerFactory = app.Services.GetRequiredService<ILoggerFactory>();
        var logger = loggerFactory.CreateLogger("Coffer");
        var services = new CofferServices(store, keyring, options.Time, accountId, loggerFactory);
        var verifier = new SigV4Verifier(services.Credentials, options.Time, options.RequestClock);
        var json = new JsonProtocol(AwsServices.Json(), services, verifier);
        var query = new QueryProtocol(AwsServices.Query(), services, verifier);

        async Task ResetDevStateAsync()
        {
            await store.WipeAsync();
            services.ClearCaches();
            await DataDirectory.CreateRootAsync(store, keyring, accountId, devCredentials!.AccessKeyId, devCredentials.SecretAccessKey, options.Time.GetUtcNow());
        }

        var admin = new AdminEndpoints(services, options, ResetDevStateAsync, logger, new EventStream(services, verifier, options.EventDelivery.PollInterval));
        var pipeline = new RequestPipeline(services, json, query, admin, options.MaxRequestBodyBytes);
        app.Run(pipeline.InvokeAsync);

        await app.StartAsync(ct);
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.ToList();
        Log.Started(logger, Version, string.Join(", ", addresses), accountId, options.Dev ? "in memory (dev mode)" : options.DataDir);
        if (keyring.IsSealed)
        {
            Log.Sealed(logger);
        }

        var scheduler = new Scheduler(services, options.ScheduleInterval, logger);
        var dispatcher = new EventDispatcher(services, options.EventDelivery, loggerFactory.CreateLogger<EventDispatcher>());
        return new RunningServer(app, services, store, keyring, scheduler, addresses, devCredentials) { Dispatcher = dispatcher };
    }
}
