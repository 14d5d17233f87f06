using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;

namespace Coffer.Server.Hosting;

/// <summary>
/// The certificate Kestrel presents, read again from its PEM files when they change: each TLS
/// handshake compares the files' modification times and sizes with those last loaded (two stat
/// calls, cheap beside the handshake), so a renewed certificate is served from the next connection
/// on, without a restart. A pair that does not load (half replaced, key not matching) leaves the
/// previous certificate in place and is logged once.
/// </summary>
internal sealed partial class CertificateReloader
{
    private readonly string _certificatePath;
    private readonly string _keyPath;
    private readonly Lock _lock = new();
    private (DateTime, long, DateTime, long) _loadedStamp;
    private (DateTime, long, DateTime, long) _failedStamp;
    private X509Certificate2 _current;

    public CertificateReloader(string certificatePath, string keyPath)
    {
        _certificatePath = certificatePath;
        _keyPath = keyPath;
        _loadedStamp = Stamp();
        _current = Load(certificatePath, keyPath);
    }

    public ILogger? Logger { get; set; }

    public X509Certificate2 Current
    {
        get
        {
            var stamp = Stamp();
            if (stamp == _loadedStamp || stamp == _failedStamp)
            {
                return _current;
            }

            lock (_lock)
            {
                if (stamp != _loadedStamp && stamp != _failedStamp)
                {
                    TryReload(stamp);
                }

                return _current;
            }
        }
    }

    /// <summary>A PEM certificate and key as a certificate SslStream can use on every platform.</summary>
    public static X509Certificate2 Load(string certificatePath, string keyPath)
    {
        using var pem = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
        return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
    }

    private void TryReload((DateTime, long, DateTime, long) stamp)
    {
        try
        {
            _current = Load(_certificatePath, _keyPath);
            _loadedStamp = stamp;
            if (Logger is not null)
            {
                Reloaded(Logger, _certificatePath, _current.SerialNumber, _current.NotAfter.ToUniversalTime());
            }
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            _failedStamp = stamp;
            if (Logger is not null)
            {
                ReloadFailed(Logger, _certificatePath, e.Message);
            }
        }
    }

    private (DateTime, long, DateTime, long) Stamp()
    {
        var certificate = new FileInfo(_certificatePath);
        var key = new FileInfo(_keyPath);
        return (certificate.Exists ? certificate.LastWriteTimeUtc : default, certificate.Exists ? certificate.Length : -1,
                key.Exists ? key.LastWriteTimeUtc : default, key.Exists ? key.Length : -1);
    }

    [LoggerMessage(EventId = 1700, Level = LogLevel.Information, Message = "TLS certificate {Path} reloaded: serial {Serial}, valid until {NotAfter:u}")]
    private static partial void Reloaded(ILogger logger, string path, string serial, DateTime notAfter);

    [LoggerMessage(EventId = 1701, Level = LogLevel.Warning, Message = "TLS certificate {Path} changed but could not be loaded, so the previous one is still served: {Reason}")]
    private static partial void ReloadFailed(ILogger logger, string path, string reason);
}
