using Amazon;
using Amazon.KeyManagementService;
using Amazon.Runtime;
using Amazon.Runtime.Credentials;
using Amazon.SimpleSystemsManagement;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Coffer.Client;

/// <summary>
/// Where the client finds Coffer (or AWS) and with what credentials. Every member has a default
/// taken the way the AWS SDKs take it: <c>AWS_ENDPOINT_URL</c>, <c>AWS_REGION</c> and the standard
/// credential chain.
/// </summary>
public sealed record CofferClientOptions
{
    /// <summary>The options from the environment alone.</summary>
    public static CofferClientOptions Default { get; } = new();

    /// <summary>The server (default: <c>$AWS_ENDPOINT_URL</c>, else AWS's regional endpoints).</summary>
    public Uri? Endpoint { get; init; } = Environment.GetEnvironmentVariable("AWS_ENDPOINT_URL") is { Length: > 0 } url ? new Uri(url) : null;

    /// <summary>The signing region (default: <c>$AWS_REGION</c>, else <c>$AWS_DEFAULT_REGION</c>, else us-east-1).</summary>
    public string Region { get; init; } = new[] { "AWS_REGION", "AWS_DEFAULT_REGION" }.Select(Environment.GetEnvironmentVariable).FirstOrDefault(v => !string.IsNullOrEmpty(v)) ?? "us-east-1";

    /// <summary>The credentials (default: the AWS SDK's credential chain).</summary>
    public AWSCredentials? Credentials { get; init; }

    /// <summary>Where the client logs (never a value): stale answers, the change stream's state.</summary>
    public ILoggerFactory LoggerFactory { get; init; } = NullLoggerFactory.Instance;

    /// <summary>The HTTP handler of every call (the SDK's and the client's own), to trust a private CA for example; default: a new one.</summary>
    public Func<HttpMessageHandler>? HttpHandlerFactory { get; init; }

    internal AWSCredentials ResolveCredentials() => Credentials ?? DefaultAWSCredentialsIdentityResolver.GetCredentials();

    internal Uri ServiceUri(string service) => Endpoint ?? new Uri($"https://{service}.{Region}.amazonaws.com/");

    internal AmazonSimpleSystemsManagementClient CreateSsm()
    {
        var config = new AmazonSimpleSystemsManagementConfig();
        Configure(config);
        return new AmazonSimpleSystemsManagementClient(ResolveCredentials(), config);
    }

    internal AmazonKeyManagementServiceClient CreateKms()
    {
        var config = new AmazonKeyManagementServiceConfig();
        Configure(config);
        return new AmazonKeyManagementServiceClient(ResolveCredentials(), config);
    }

    private void Configure(ClientConfig config)
    {
        if (HttpHandlerFactory is { } handlers)
        {
            config.HttpClientFactory = new HandlerClientFactory(handlers);
        }

        if (Endpoint is not null)
        {
            config.ServiceURL = Endpoint.ToString();
            config.AuthenticationRegion = Region;
        }
        else
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(Region);
        }
    }

    private sealed class HandlerClientFactory(Func<HttpMessageHandler> handlers) : HttpClientFactory
    {
        public override HttpClient CreateHttpClient(IClientConfig clientConfig) => new(handlers(), disposeHandler: true);
    }
}
