namespace Coffer.Server.Hosting;

/// <summary>How to run a server. Secrets among them (the dev root secret, the passphrase) are redacted when printed.</summary>
public sealed record CofferServerOptions
{
    public static CofferServerOptions Default { get; } = new();

    /// <summary>Where the database, the sealed root key and the root credentials live.</summary>
    public string DataDir { get; init; } = DefaultDataDir();

    /// <summary>ASP.NET's --urls: where to listen.</summary>
    public string Urls { get; init; } = "http://127.0.0.1:4599";

    /// <summary>In memory, unsealed, nothing written to disk; wiped by POST /_coffer/reset.</summary>
    public bool Dev { get; init; }

    public string? DevAccountId { get; init; }

    public string? DevRootAccessKeyId { get; init; }

    [Sensitive]
    public string? DevRootSecretAccessKey { get; init; }

    /// <summary>Unseals a passphrase-sealed data directory at start (COFFER_UNSEAL_PASSPHRASE).</summary>
    [Sensitive]
    public string? UnsealPassphrase { get; init; }

    /// <summary>Largest request body accepted; larger ones get 413.</summary>
    public int MaxRequestBodyBytes { get; init; } = 1024 * 1024;

    /// <summary>How often scheduled work (rotation, deletion windows, expirations) runs;
    /// <see cref="Timeout.InfiniteTimeSpan"/> turns the loop off.</summary>
    public TimeSpan ScheduleInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How change events are delivered to API destinations.</summary>
    public EventDelivery EventDelivery { get; init; } = EventDelivery.Default;

    /// <summary>Coffer's clock: schedules, deletion windows, expiries. Tests pass a fake one.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>The wall clock that SigV4's clock-skew window is measured against.</summary>
    public TimeProvider RequestClock { get; init; } = TimeProvider.System;

    public static string DefaultDataDir()
    {
        var fromEnv = Environment.GetEnvironmentVariable("COFFER_DATA_DIR");
        if (!string.IsNullOrEmpty(fromEnv))
        {
            return fromEnv;
        }

        var xdg = Environment.GetEnvironmentVariable("XDG_DATA_HOME");
        var baseDir = string.IsNullOrEmpty(xdg)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share")
            : xdg;
        return Path.Combine(baseDir, "coffer");
    }

    /// <summary>The options as text, one per line, with sensitive values replaced.</summary>
    public string Describe()
    {
        static string Show(string? value, bool sensitive) => value is null ? "(not set)" : sensitive ? "(redacted)" : value;
        return string.Join('\n',
            $"data-dir: {(Dev ? "(none: dev mode keeps everything in memory)" : DataDir)}",
            $"urls: {Urls}",
            $"dev: {Dev}",
            $"dev-account-id: {Show(DevAccountId, false)}",
            $"dev-root-access-key-id: {Show(DevRootAccessKeyId, false)}",
            $"dev-root-secret-access-key: {Show(DevRootSecretAccessKey, true)}",
            $"unseal-passphrase: {Show(UnsealPassphrase, true)}",
            $"max-request-body-bytes: {MaxRequestBodyBytes}",
            $"schedule-interval: {ScheduleInterval}");
    }

    /// <summary>Keeps secrets out of the record's generated ToString.</summary>
    public override string ToString() => Describe().Replace('\n', ';');
}

/// <summary>Marks an option whose value is a secret: never printed, never logged.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class SensitiveAttribute : Attribute;
