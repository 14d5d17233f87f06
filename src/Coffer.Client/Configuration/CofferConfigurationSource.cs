using Microsoft.Extensions.Configuration;

namespace Coffer.Client.Configuration;

/// <summary>
/// Parameters under a path as configuration, after AWS's Systems Manager configuration provider:
/// <c>/app/prod/db/password</c> under <c>/app/prod/</c> is the key <c>db:password</c>.
/// </summary>
public sealed class CofferConfigurationSource : IConfigurationSource
{
    /// <summary>The path prefix, such as <c>/app/prod/</c>.</summary>
    public required string Path { get; set; }

    /// <summary>Start without these keys when the parameters cannot be read (default false: fail the start).</summary>
    public bool Optional { get; set; }

    /// <summary>Reload when Coffer's change stream says a parameter under the path changed (default true).</summary>
    public bool WatchChanges { get; set; } = true;

    /// <summary>
    /// Poll this often: always when <see cref="WatchChanges"/> is off, and while the change stream is
    /// down when it is on (default 30 s; null: never poll).
    /// </summary>
    public TimeSpan? ReloadAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Where Coffer is and with what credentials.</summary>
    public CofferClientOptions ClientOptions { get; set; } = CofferClientOptions.Default;

    public IConfigurationProvider Build(IConfigurationBuilder builder) => new CofferConfigurationProvider(this);
}

/// <summary>Adds Coffer's parameters to a configuration.</summary>
public static class CofferConfigurationExtensions
{
    /// <summary>Loads every parameter under <paramref name="path"/> (recursively, decrypted) and keeps it current.</summary>
    public static IConfigurationBuilder AddCoffer(this IConfigurationBuilder builder, string path, Action<CofferConfigurationSource>? configure = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var source = new CofferConfigurationSource { Path = path };
        configure?.Invoke(source);
        return builder.Add(source);
    }
}
