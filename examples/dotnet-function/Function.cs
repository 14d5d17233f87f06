using Coffer.Client;

namespace Coffer.Examples.Function;

/// <summary>
/// A function's handler reading its settings with Coffer.Client. It is made once per execution
/// environment (the cold start) and reused by every invocation, so the cache and the decrypted
/// environment variable live as long as the environment does.
/// </summary>
public sealed class Function : IAsyncDisposable
{
    private readonly SecretCache _cache;
    private readonly EncryptedEnvironment _environment;

    public Function(CofferClientOptions? options = null)
    {
        options ??= CofferClientOptions.Default;
        // Items are checked again after five minutes, and at once when Coffer announces a change.
        _cache = new SecretCache(options, new SecretCacheConfiguration { CacheItemTTL = TimeSpan.FromMinutes(5), SubscribeToChanges = true });
        _environment = new EncryptedEnvironment(options);
    }

    /// <summary>One invocation: the KMS-encrypted API_KEY, the SecureString parameter named by DB_PASSWORD_PARAMETER and the secret named by SECRET_ID.</summary>
    public async Task<Settings> HandleAsync(CancellationToken ct = default)
    {
        var apiKey = await _environment.GetAsync("API_KEY", ct);
        var dbPassword = await _cache.GetParameterAsync(Required("DB_PASSWORD_PARAMETER"), ct);
        var secret = await _cache.GetSecretStringAsync(Required("SECRET_ID"), ct) ?? "";
        return new Settings(apiKey, dbPassword, secret);
    }

    public async ValueTask DisposeAsync()
    {
        await _cache.DisposeAsync();
        _environment.Dispose();
    }

    private static string Required(string variable) =>
        Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value ? value : throw new InvalidOperationException($"Set {variable}.");
}

/// <summary>What the function read.</summary>
public sealed record Settings(string ApiKey, string DbPassword, string Secret)
{
    /// <summary>No value in it: settings get printed.</summary>
    public override string ToString() => "Settings (values redacted)";
}
