using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using Amazon.KeyManagementService;
using Amazon.KeyManagementService.Model;
using Coffer.Core.Diagnostics;
using Coffer.Server.Hosting;
using Coffer.Server.Tests.Infrastructure;

namespace Coffer.Server.Tests.Operations;

/// <summary>
/// Issue 14: one request traced through the pipeline (authenticate, the call, its store access and
/// its audit append) in one trace; and a server told to export traces over OTLP to an endpoint
/// that is down still answers.
/// </summary>
public sealed class TracingTests : IAsyncLifetime, IDisposable
{
    private readonly ConcurrentQueue<Activity> _spans = new();
    private readonly ActivityListener _listener;
    private RunningServer? _server;

    public TracingTests()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name is CofferTracing.SourceName or "Microsoft.AspNetCore",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _spans.Enqueue,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public async Task InitializeAsync() =>
        _server = await CofferServer.StartAsync(new CofferServerOptions
        {
            Dev = true,
            Urls = "http://127.0.0.1:0",
            DevAccountId = CofferFixture.AccountId,
            DevRootAccessKeyId = CofferFixture.AccessKeyId,
            DevRootSecretAccessKey = CofferFixture.SecretAccessKey,
            ScheduleInterval = Timeout.InfiniteTimeSpan,

            // Nothing listens there: exporting fails quietly, and calls are answered all the same.
            OtlpEndpoint = "http://127.0.0.1:9",
        });

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    public void Dispose() => _listener.Dispose();

    [Fact]
    public async Task One_request_is_one_trace_through_authenticate_the_call_the_store_and_the_audit_append()
    {
        using var kms = new AmazonKeyManagementServiceClient(
            new Amazon.Runtime.BasicAWSCredentials(CofferFixture.AccessKeyId, CofferFixture.SecretAccessKey),
            new AmazonKeyManagementServiceConfig { ServiceURL = _server!.BaseAddress.ToString(), AuthenticationRegion = CofferFixture.Region, MaxErrorRetry = 0 });
        var key = await kms.CreateKeyAsync(new CreateKeyRequest());
        var encrypted = await kms.EncryptAsync(new EncryptRequest { KeyId = key.KeyMetadata.KeyId, Plaintext = new MemoryStream(Encoding.UTF8.GetBytes("traced")) });
        var requestId = encrypted.ResponseMetadata.RequestId;

        var call = Assert.Single(_spans, s => s.DisplayName == "kms Encrypt" && (string?)s.GetTagItem("coffer.request_id") == requestId);
        Assert.Equal("success", call.GetTagItem("coffer.outcome"));
        var trace = _spans.Where(s => s.TraceId == call.TraceId).ToList();
        Assert.Contains(trace, s => s.DisplayName == "authenticate");
        Assert.Contains(trace, s => s.DisplayName == "audit append" && s.ParentSpanId == call.SpanId);
        Assert.Contains(trace, s => s.DisplayName == "store read" && s.ParentSpanId == call.SpanId);

        // No span names a resource.
        Assert.DoesNotContain(_spans, s => s.TagObjects.Any(t => t.Value?.ToString()?.Contains(key.KeyMetadata.KeyId, StringComparison.Ordinal) == true));
    }

    [Theory]
    [InlineData("not a url")]
    [InlineData("ftp://collector:4317")]
    public void An_otlp_endpoint_that_is_not_an_http_url_is_named_at_start(string endpoint)
    {
        var errors = new CofferServerOptions { Dev = true, OtlpEndpoint = endpoint }.Validate();
        Assert.Contains(errors, e => e.StartsWith("otlp-endpoint must be", StringComparison.Ordinal));
    }
}
