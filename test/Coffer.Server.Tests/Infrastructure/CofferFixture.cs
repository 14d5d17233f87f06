using Amazon.KeyManagementService;
using Amazon.Runtime;
using Coffer.Server.Auth;
using Coffer.Server.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Coffer.Server.Tests.Infrastructure;

/// <summary>
/// A real Coffer server in dev mode on a loopback port, for one test class. Tests talk to it only
/// through real clients (the AWS SDK for .NET, the AWS CLI, the JS SDK), as users do.
/// </summary>
public class CofferFixture : IAsyncLifetime
{
    public const string AccessKeyId = "AKIACOFFERTESTROOT01";
    public const string SecretAccessKey = "coffer-test-root-secret-0123456789abcdef";
    public const string AccountId = "111122223333";
    public const string Region = "us-east-1";

    private RunningServer? _server;

    /// <summary>Whether the domain clock is a fake one that tests move forward (see <see cref="Clock"/>).</summary>
    protected virtual bool UseFakeClock => false;

    public FakeTimeProvider? Clock { get; private set; }

    public RunningServer Server => _server ?? throw new InvalidOperationException("The server has not started.");

    public string Endpoint => Server.BaseAddress.ToString().TrimEnd('/');

    /// <summary>Everything the server logged, to check that no secret ever reaches a log.</summary>
    public LogCapture Logs { get; } = new();

    public async Task InitializeAsync()
    {
        Clock = UseFakeClock ? new FakeTimeProvider(DateTimeOffset.UtcNow) : null;
        _server = await CofferServer.StartAsync(
            Configure(new CofferServerOptions
            {
                Dev = true,
                Store = await TestStore.LocationAsync(),
                Urls = "http://127.0.0.1:0",
                DevAccountId = AccountId,
                DevRootAccessKeyId = AccessKeyId,
                DevRootSecretAccessKey = SecretAccessKey,
                Time = Clock ?? TimeProvider.System,
                ScheduleInterval = Timeout.InfiniteTimeSpan,
            }),
            logging => logging.AddProvider(Logs).SetMinimumLevel(LogLevel.Debug));
    }

    /// <summary>Lets a derived fixture change the server's options (a low throttle, event delivery settings).</summary>
    protected virtual CofferServerOptions Configure(CofferServerOptions options) => options;

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    public AWSCredentials Credentials(string? accessKeyId = null, string? secret = null, string? sessionToken = null) =>
        sessionToken is null
            ? new BasicAWSCredentials(accessKeyId ?? AccessKeyId, secret ?? SecretAccessKey)
            : new SessionAWSCredentials(accessKeyId, secret, sessionToken);

    public AmazonKeyManagementServiceClient Kms(AWSCredentials? credentials = null, string region = Region) =>
        new(credentials ?? Credentials(), new AmazonKeyManagementServiceConfig
        {
            ServiceURL = Endpoint,
            AuthenticationRegion = region,
            MaxErrorRetry = 0,
        });

    /// <summary>Wipes all state (dev mode's reset, signed by the dev root), so a test can start from nothing.</summary>
    public async Task ResetAsync()
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Endpoint + "/_coffer/reset"));
        await SigV4Signer.SignAsync(request, AccessKeyId, SecretAccessKey, null, Region, AdminEndpoints.SigningService, DateTimeOffset.UtcNow);
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
    }
}

/// <summary>A server whose domain clock is fake, for rotation, deletion windows and expiries without
/// sleeping. SigV4's skew window stays on the wall clock, so real clients keep signing as usual.</summary>
public sealed class FakeClockCofferFixture : CofferFixture
{
    protected override bool UseFakeClock => true;
}
