using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Coffer.Agent;

/// <summary>Starts the agent: Kestrel on 127.0.0.1 only, the cache, the event subscription.</summary>
public static class AgentHost
{
    public static async Task<RunningAgent> StartAsync(AgentOptions options, AwsCredentials credentials, Action<ILoggingBuilder>? logging = null, TimeProvider? time = null)
    {
        time ??= TimeProvider.System;
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(options.LogLevel);
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        if (logging is null)
        {
            builder.Logging.AddSimpleConsole(c =>
            {
                c.SingleLine = true;
                c.TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z' ";
                c.UseUtcTimestamp = true;
            });
        }
        else
        {
            logging(builder.Logging);
        }

        // Localhost only: the agent hands out secrets to whoever holds the token, so it never listens beyond loopback.
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Listen(IPAddress.Loopback, options.HttpPort);
        });
        builder.WebHost.UseSetting(WebHostDefaults.PreventHostingStartupKey, "true");
        var app = builder.Build();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Coffer.Agent");
        var client = new CofferClient(options, credentials, time);
        var cache = new AnswerCache(options, client, time, logger);
        var environment = new EncryptedVariables(options, client, logger);
        var endpoint = new AgentEndpoint(options, cache, environment, logger);
        app.Run(endpoint.HandleAsync);

        // Cold start: the encrypted variables are being decrypted while the endpoint starts.
        environment.DecryptAll();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Log.Listening(logger, address);
        Log.Settings(logger, options.ToString());

        var stop = new CancellationTokenSource();
        EventSubscriber? subscriber = null;
        Task events = Task.CompletedTask;
        if (options.SubscribeToEvents && options.Endpoints.Events is not null && (options.Caches(RequestKind.Parameter) || options.Caches(RequestKind.Secret)))
        {
            subscriber = new EventSubscriber(options, client.Signer, cache, logger);
            events = Task.Run(() => subscriber.RunAsync(stop.Token));
        }
        else
        {
            Log.NoEvents(logger);
        }

        return new RunningAgent(app, new Uri(address), cache, client, subscriber, events, stop, logger);
    }
}

/// <summary>A started agent: its address, cache and event subscription; disposing it stops everything.</summary>
public sealed class RunningAgent : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly CofferClient _client;
    private readonly EventSubscriber? _subscriber;
    private readonly Task _events;
    private readonly CancellationTokenSource _stop;

    internal RunningAgent(WebApplication app, Uri baseAddress, AnswerCache cache, CofferClient client, EventSubscriber? subscriber, Task events, CancellationTokenSource stop, ILogger logger)
    {
        _app = app;
        BaseAddress = baseAddress;
        Cache = cache;
        _client = client;
        _subscriber = subscriber;
        _events = events;
        _stop = stop;
        Logger = logger;
    }

    public Uri BaseAddress { get; }

    public AnswerCache Cache { get; }

    internal ILogger Logger { get; }

    /// <summary>Whether the change-event stream is open now.</summary>
    public bool Subscribed => _subscriber?.Connected ?? false;

    /// <summary>The last change event the agent handled, if any.</summary>
    public string? LastEventId => _subscriber?.LastEventId;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _events;
        await _app.StopAsync();
        await _app.DisposeAsync();
        _subscriber?.Dispose();
        _client.Dispose();
        _stop.Dispose();
        Log.Stopped(Logger);
    }
}
