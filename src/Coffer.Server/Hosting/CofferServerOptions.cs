namespace Coffer.Server.Hosting;

/// <summary>
/// How to run a server, bound from a settings file, the environment (<c>COFFER_*</c>) and the command
/// line (<see cref="OptionsBinder"/>), checked by <see cref="Validate"/>. Properties marked
/// <see cref="SensitiveAttribute"/> are redacted wherever the options are printed.
/// </summary>
public sealed partial record CofferServerOptions
{
    public const string DefaultHttpUrls = "http://127.0.0.1:4599";
    public const string DefaultHttpsUrls = "https://127.0.0.1:4599";

    public static CofferServerOptions Default { get; } = new();

    /// <summary>Where the database, the sealed root key, the root credentials and tls/ live.</summary>
    public string DataDir { get; init; } = DefaultDataDir();

    /// <summary>ASP.NET's --urls: where to listen. Unset: https://127.0.0.1:4599 when there is a
    /// certificate, else http://127.0.0.1:4599.</summary>
    public string? Urls { get; init; }

    /// <summary>Where state is kept: unset (or <c>sqlite</c>) for coffer.db in the data directory, or
    /// <c>postgres://user:password@host:port/database</c> for a PostgreSQL database that several nodes
    /// share (each node keeps its own data directory for the root key, certificate and anchor).
    /// Sensitive: the URL carries the database password.</summary>
    [Sensitive]
    public string? Store { get; init; }

    /// <summary>In memory, unsealed, nothing written to disk; wiped by POST /_coffer/reset.</summary>
    public bool Dev { get; init; }

    public string? DevAccountId { get; init; }

    public string? DevRootAccessKeyId { get; init; }

    [Sensitive]
    public string? DevRootSecretAccessKey { get; init; }

    /// <summary>Unseals a passphrase-sealed data directory at start (COFFER_UNSEAL_PASSPHRASE).</summary>
    [Sensitive]
    public string? UnsealPassphrase { get; init; }

    /// <summary>The server certificate (PEM), instead of the data directory's tls/server.pem.</summary>
    public string? TlsCert { get; init; }

    /// <summary>The server certificate's private key (PEM), with <see cref="TlsCert"/>.</summary>
    public string? TlsKey { get; init; }

    /// <summary>Names and IP addresses the server certificate is made for when the data directory is
    /// initialized, besides localhost, 127.0.0.1, ::1 and the host name.</summary>
    public IReadOnlyList<string> TlsSan { get; init; } = [];

    /// <summary>Allows plain HTTP on an address other than loopback (TLS ended by a proxy in front).</summary>
    public bool AllowInsecureHttp { get; init; }

    /// <summary>Readiness turns false when the data directory's disk has less free space than this.</summary>
    public long MinFreeDiskBytes { get; init; } = 256L * 1024 * 1024;

    /// <summary>Start even if the audit log does not match its anchor (audit.anchor): re-anchor it
    /// as it is, and record in the log that this was done.</summary>
    public bool AcceptAuditAnchorMismatch { get; init; }

    /// <summary>How long audit records stay in the live database; older ones move to sealed archive
    /// segments (issue 9). "off" keeps every record in the database.</summary>
    public TimeSpan AuditRetention { get; init; } = TimeSpan.FromDays(90);

    /// <summary>Where archive segments are written; unset: audit-archive/ in the data directory.</summary>
    public string? AuditArchiveDir { get; init; }

    /// <summary>Largest request body accepted; larger ones get 413.</summary>
    public int MaxRequestBodyBytes { get; init; } = 1024 * 1024;

    /// <summary>Request rates and bursts per access key and per source address (issue 8).</summary>
    public ThrottleSettings Throttle { get; init; } = ThrottleSettings.Default;

    /// <summary>How many unseal requests may wait behind the one running; more are refused with 429.</summary>
    public int UnsealQueueLength { get; init; } = 4;

    /// <summary>The delay before the next unseal attempt after a wrong passphrase; it doubles with
    /// each further failure, up to <see cref="UnsealMaxDelay"/>.</summary>
    public TimeSpan UnsealFirstDelay { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan UnsealMaxDelay { get; init; } = TimeSpan.FromSeconds(60);

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

    /// <summary>The certificate to serve HTTPS with: the given one, else the data directory's
    /// (outside dev mode), else none.</summary>
    public TlsSource? ResolveTls()
    {
        if (TlsCert is not null || TlsKey is not null)
        {
            return new TlsSource(TlsCert ?? "", TlsKey ?? "", null);
        }

        return !Dev && TlsFiles.Exist(DataDir)
            ? new TlsSource(TlsFiles.ServerCertificatePath(DataDir), TlsFiles.ServerKeyPath(DataDir), TlsFiles.CaCertificatePath(DataDir))
            : null;
    }

    /// <summary>Where to listen: the given URLs, else the default for whether there is a certificate.</summary>
    public string ResolveUrls(bool certificateWillExist = false) =>
        Urls ?? (ResolveTls() is not null || (certificateWillExist && !Dev) ? DefaultHttpsUrls : DefaultHttpUrls);

    /// <summary>The options as text, one per line, with sensitive values replaced.</summary>
    public string Describe() => OptionsPrinter.Describe(this);

    /// <summary>Keeps secrets out of the record's generated ToString.</summary>
    public override string ToString() => Describe().Replace('\n', ';');
}

/// <summary>Where the server's certificate comes from; <paramref name="CaCertificatePath"/> is set
/// when it is the data directory's own CA, which clients are told to trust.</summary>
public sealed record TlsSource(string CertificatePath, string KeyPath, string? CaCertificatePath);

/// <summary>Marks an option whose value is a secret: never printed, never logged.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class SensitiveAttribute : Attribute;
