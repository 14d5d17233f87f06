using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Coffer.Agent;

/// <summary>
/// The agent's calls to Coffer (or AWS): GetParameter and GetSecretValue as signed AWS JSON 1.1
/// requests. The answer's bytes are kept as they came, so the agent returns exactly what the
/// service said. HTTPS trusts the system's roots and, like the AWS CLI, the CA bundle in
/// <c>AWS_CA_BUNDLE</c> (Coffer's private CA); the host name is always checked.
/// </summary>
public sealed class CofferClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly RequestSigner _signer;
    private readonly AgentOptions _options;

    public CofferClient(AgentOptions options, AwsCredentials credentials, TimeProvider time)
    {
        _options = options;
        _signer = new RequestSigner(credentials, options.Endpoints.Region, time);
        _http = new HttpClient(CreateHandler(options.CaBundle, options.MaxConnections)) { Timeout = Timeout.InfiniteTimeSpan };
    }

    internal RequestSigner Signer => _signer;

    /// <summary>Calls the operation; throws <see cref="UpstreamUnavailableException"/> when no answer came (network, timeout).</summary>
    public Task<UpstreamAnswer> CallAsync(RequestKind kind, byte[] body, CancellationToken ct) => kind == RequestKind.Parameter
        ? CallAsync(_options.Endpoints.Ssm, "AmazonSSM.GetParameter", "ssm", body, _options.CallTimeout(kind), ct)
        : CallAsync(_options.Endpoints.SecretsManager, "secretsmanager.GetSecretValue", "secretsmanager", body, _options.CallTimeout(kind), ct);

    /// <summary>KMS Decrypt, for the encrypted environment variables.</summary>
    public Task<UpstreamAnswer> DecryptAsync(byte[] body, CancellationToken ct) =>
        CallAsync(_options.Endpoints.Kms, "TrentService.Decrypt", "kms", body, Timeout.InfiniteTimeSpan, ct);

    private async Task<UpstreamAnswer> CallAsync(Uri endpoint, string target, string service, byte[] body, TimeSpan callTimeout, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-amz-json-1.1");
        request.Headers.TryAddWithoutValidation("X-Amz-Target", target);
        _signer.Sign(request, service, body);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(callTimeout);
        try
        {
            using var response = await _http.SendAsync(request, timeout.Token);
            var bytes = await response.Content.ReadAsByteArrayAsync(timeout.Token);
            return new UpstreamAnswer((int)response.StatusCode, bytes, response.Content.Headers.ContentType?.ToString() ?? "application/x-amz-json-1.1");
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new UpstreamUnavailableException($"{target} took longer than {callTimeout.TotalMilliseconds} ms");
        }
        catch (HttpRequestException e)
        {
            throw new UpstreamUnavailableException($"{target} failed: {e.HttpRequestError}");
        }
    }

    public void Dispose() => _http.Dispose();

    public static SocketsHttpHandler CreateHandler(string? caBundle, int maxConnections)
    {
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = maxConnections,
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(60),
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
        };
        if (caBundle is null || !File.Exists(caBundle))
        {
            return handler;
        }

        var roots = new X509Certificate2Collection();
        roots.ImportFromPemFile(caBundle);
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
        {
            if (errors == SslPolicyErrors.None)
            {
                return true;
            }

            // Only an issuer unknown to the system is forgiven, for a chain that ends at the bundle; a wrong name never is.
            if (certificate is null || errors != SslPolicyErrors.RemoteCertificateChainErrors)
            {
                return false;
            }

            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.AddRange(roots);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            return chain.Build(new X509Certificate2(certificate));
        };
        return handler;
    }
}

/// <summary>What the service answered: its status and the exact bytes of its body.</summary>
public sealed record UpstreamAnswer(int Status, byte[] Body, string ContentType)
{
    public bool Succeeded => Status is >= 200 and < 300;

    /// <summary>A failure worth serving a stale value over: throttling or a server-side fault.</summary>
    public bool Transient => Status is 429 or >= 500;
}

/// <summary>Coffer could not be reached, or did not answer in time. The message carries no value.</summary>
public sealed class UpstreamUnavailableException(string message) : Exception(message);
