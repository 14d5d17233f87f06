using Coffer.Core.Crypto;
using Coffer.Core.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;

namespace Coffer.Server.Hosting;

/// <summary>A started server: where it listens, its services (for tests and the scheduler), and how to stop it.</summary>
public sealed class RunningServer(WebApplication app, CofferServices services, ICofferStore store, Keyring keyring, Scheduler scheduler, IReadOnlyList<string> addresses, RootCredentials? devCredentials,
    DataDirectoryLock? dataLock, UnsealGate unsealGate, Throttle throttle) : IAsyncDisposable
{
    public IReadOnlyList<string> Addresses { get; } = addresses;

    /// <summary>The first address, for clients: http://127.0.0.1:PORT.</summary>
    public Uri BaseAddress => new(Addresses[0].Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal).Replace("[::]", "127.0.0.1", StringComparison.Ordinal));

    public CofferServices Services { get; } = services;

    /// <summary>The certificate files HTTPS is served with; null when the server has no certificate.</summary>
    public TlsSource? Tls { get; init; }

    /// <summary>The dev-mode root credentials; null outside dev mode.</summary>
    public RootCredentials? DevCredentials { get; } = devCredentials;

    /// <summary>The unseal gate, whose counters show how many Argon2id derivations ran at once.</summary>
    public UnsealGate UnsealGate { get; } = unsealGate;

    /// <summary>The rate limiter; the protocol adapters take a token per verified access key.</summary>
    public Throttle Throttle { get; } = throttle;

    /// <summary>The loop that delivers change events (set at start).</summary>
    public EventDispatcher? Dispatcher { get; init; }

    public Task WaitForShutdownAsync(CancellationToken ct = default) => app.WaitForShutdownAsync(ct);

    public async ValueTask DisposeAsync()
    {
        await scheduler.DisposeAsync();
        if (Dispatcher is not null)
        {
            await Dispatcher.DisposeAsync();
        }

        await Services.Secrets.StopAsync();
        await app.StopAsync();
        await app.DisposeAsync();
        await store.DisposeAsync();
        keyring.Dispose();
        dataLock?.Dispose();
    }
}
