using System.Text;
using System.Text.Json;
using Amazon.KeyManagementService;
using Amazon.KeyManagementService.Model;
using Coffer.Core;
using Coffer.Core.Diagnostics;
using Coffer.Server.Hosting;
using Coffer.Server.Tests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace Coffer.Server.Tests.Operations;

/// <summary>
/// Issue 14: what a call logs carries its request id in the log scope, and it is the id the client
/// got (x-amzn-RequestId) and the audit record's requestID, so an operator goes from one to the others.
/// </summary>
public sealed class RequestLogScopeTests : IAsyncLifetime
{
    private readonly ScopeCapture _logs = new();
    private RunningServer? _server;

    public async Task InitializeAsync() =>
        _server = await CofferServer.StartAsync(
            new CofferServerOptions
            {
                Dev = true,
                Urls = "http://127.0.0.1:0",
                DevAccountId = CofferFixture.AccountId,
                DevRootAccessKeyId = CofferFixture.AccessKeyId,
                DevRootSecretAccessKey = CofferFixture.SecretAccessKey,
                ScheduleInterval = Timeout.InfiniteTimeSpan,
            },
            logging => logging.AddProvider(_logs).SetMinimumLevel(LogLevel.Debug));

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_calls_log_scope_holds_the_request_id_of_its_response_and_its_audit_record()
    {
        const string plaintext = "scope-canary-value-5521";
        using var kms = new AmazonKeyManagementServiceClient(
            new Amazon.Runtime.BasicAWSCredentials(CofferFixture.AccessKeyId, CofferFixture.SecretAccessKey),
            new AmazonKeyManagementServiceConfig { ServiceURL = _server!.BaseAddress.ToString(), AuthenticationRegion = CofferFixture.Region, MaxErrorRetry = 0 });
        var key = await kms.CreateKeyAsync(new CreateKeyRequest());
        var encrypted = await kms.EncryptAsync(new EncryptRequest { KeyId = key.KeyMetadata.KeyId, Plaintext = new MemoryStream(Encoding.UTF8.GetBytes(plaintext)) });
        var requestId = encrypted.ResponseMetadata.RequestId;
        Assert.False(string.IsNullOrEmpty(requestId));

        var ended = Assert.Single(_logs.Entries, e => e.EventId == CoreEventIds.CallEnded && e.Message.Contains("Encrypt", StringComparison.Ordinal));
        Assert.Contains(ended.Scope, p => p.Key == RequestScope.Key && (string?)p.Value == requestId);

        var record = (await _server.Services.Store.ReadAsync((s, ct) => s.Audit.ReadAfterAsync(0, 100_000, ct)))
            .Select(r => JsonDocument.Parse(r.Json).RootElement)
            .Single(r => r.GetProperty("eventName").GetString() == "Encrypt");
        Assert.Equal(requestId, record.GetProperty("requestID").GetString());

        // Never a value: not in a message, not in a scope.
        Assert.DoesNotContain(_logs.Entries, e => e.Message.Contains(plaintext, StringComparison.Ordinal) || e.Scope.Any(p => p.Value?.ToString()?.Contains(plaintext, StringComparison.Ordinal) == true));
    }
}
