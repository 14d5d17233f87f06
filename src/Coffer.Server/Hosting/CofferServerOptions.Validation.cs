using System.Globalization;
using System.Net;
using System.Security.Cryptography;

namespace Coffer.Server.Hosting;

public sealed partial record CofferServerOptions
{
    public const int MinRequestBodyBytes = 1024;
    public const int MaxRequestBodyBytesLimit = 16 * 1024 * 1024;

    /// <summary>Every problem with these options, one sentence each, naming the setting and the bad
    /// value (never a sensitive one). Empty when the server can start with them.
    /// <paramref name="certificateWillExist"/>: the data directory is about to be initialized, which
    /// makes its certificate.</summary>
    public IReadOnlyList<string> Validate(bool certificateWillExist = false)
    {
        var errors = new List<string>();
        if (MaxRequestBodyBytes is < MinRequestBodyBytes or > MaxRequestBodyBytesLimit)
        {
            errors.Add($"max-request-body-bytes must be between {MinRequestBodyBytes} and {MaxRequestBodyBytesLimit}, got {MaxRequestBodyBytes.ToString(CultureInfo.InvariantCulture)}");
        }

        if (AuditRetention < TimeSpan.FromMinutes(1) && AuditRetention != Timeout.InfiniteTimeSpan)
        {
            errors.Add($"audit-retention must be at least a minute, or off, got {AuditRetention}");
        }

        if (ScheduleInterval <= TimeSpan.Zero && ScheduleInterval != Timeout.InfiniteTimeSpan)
        {
            errors.Add($"schedule-interval must be positive or off, got {ScheduleInterval}");
        }

        if (DevAccountId is not null && !DataDirectory.IsAccountId(DevAccountId))
        {
            errors.Add($"dev-account-id must be 12 digits, got '{DevAccountId}'");
        }

        if (OtlpEndpoint is not null && !(Uri.TryCreate(OtlpEndpoint, UriKind.Absolute, out var otlp) && otlp.Scheme is "http" or "https"))
        {
            errors.Add($"otlp-endpoint must be an http:// or https:// URL, got '{OtlpEndpoint}'");
        }

        if (StoreFactory.Check(Store) is { } storeError)
        {
            errors.Add(storeError);
        }

        if (!Dev && string.IsNullOrWhiteSpace(DataDir))
        {
            errors.Add("data-dir must be set outside dev mode");
        }

        foreach (var name in TlsSan)
        {
            if (!TlsFiles.IsSubjectAltName(name))
            {
                errors.Add($"tls-san must be a DNS name or an IP address, got '{name}'");
            }
        }

        var hasCertificate = ValidateTls(errors) || (certificateWillExist && TlsCert is null && TlsKey is null && !Dev);
        ValidateUrls(hasCertificate, certificateWillExist, errors);
        return errors;
    }

    private bool ValidateTls(List<string> errors)
    {
        if ((TlsCert is null) != (TlsKey is null))
        {
            errors.Add(TlsCert is null ? "tls-key is set without tls-cert: give both, as PEM files" : "tls-cert is set without tls-key: give both, as PEM files");
            return false;
        }

        var tls = ResolveTls();
        if (tls is null)
        {
            return false;
        }

        foreach (var (name, path) in new[] { ("tls-cert", tls.CertificatePath), ("tls-key", tls.KeyPath) })
        {
            if (!File.Exists(path))
            {
                errors.Add($"{name} must be a readable PEM file, got '{path}' (no such file)");
                return false;
            }
        }

        try
        {
            using var certificate = CertificateReloader.Load(tls.CertificatePath, tls.KeyPath);
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            errors.Add($"tls-cert and tls-key must be a PEM certificate and its private key, but '{tls.CertificatePath}' and '{tls.KeyPath}' could not be loaded: {e.Message}");
            return false;
        }

        return true;
    }

    private void ValidateUrls(bool hasCertificate, bool certificateWillExist, List<string> errors)
    {
        var urls = ResolveUrls(certificateWillExist);
        foreach (var url in urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!ListenAddress.TryParse(url, out var address))
            {
                errors.Add($"urls must be http:// or https:// addresses with a port, separated by ';', got '{url}'");
            }
            else if (address.Https && !hasCertificate)
            {
                errors.Add($"urls: {url} needs a certificate: give --tls-cert and --tls-key, or run 'coffer init' (outside dev mode) to make one");
            }
            else if (!address.Https && !address.IsLoopback && !AllowInsecureHttp)
            {
                errors.Add($"urls: refusing to listen on {url} without TLS, where anyone on the network could read secrets; use https:// (with 'coffer init' or --tls-cert/--tls-key), or --allow-insecure-http if a proxy in front ends TLS");
            }
        }
    }
}

/// <summary>One listening address of ASP.NET's --urls: scheme, host (which may be * or +) and port.</summary>
public sealed record ListenAddress(bool Https, string Host, int Port)
{
    public bool IsLoopback =>
        Host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));

    public static bool TryParse(string url, out ListenAddress address)
    {
        address = null!;
        var https = url.StartsWith("https://", StringComparison.OrdinalIgnoreCase);
        if (!https && !url.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var rest = url[(https ? 8 : 7)..].TrimEnd('/');
        var colon = rest.LastIndexOf(':');
        if (colon <= 0 || rest.EndsWith(']') || rest.Contains('/', StringComparison.Ordinal)
            || !int.TryParse(rest[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535)
        {
            return false;
        }

        var host = rest[..colon];
        var valid = host is "*" or "+" || host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
            || IPAddress.TryParse(host.Trim('[', ']'), out _) || Uri.CheckHostName(host) == UriHostNameType.Dns;
        address = new ListenAddress(https, host, port);
        return valid;
    }
}
