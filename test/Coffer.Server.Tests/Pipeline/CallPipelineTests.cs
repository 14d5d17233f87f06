using System.Net.Http.Headers;
using System.Text;
using Coffer.Core;
using Coffer.Core.Audit;
using Coffer.Core.Crypto;
using Coffer.Core.Identity;
using Coffer.Core.Parameters;
using Coffer.Core.Pipeline;
using Coffer.Server.Auth;
using Coffer.Server.Aws;
using Coffer.Server.Tests.Infrastructure;
using Coffer.Storage.Sqlite;

namespace Coffer.Server.Tests.Pipeline;

/// <summary>
/// Issue 9: one call pipeline. A read is answered only once its record is appended; a change, its
/// record and its event commit together or not at all; and no entry point can reach a domain
/// service without passing the audit.
/// </summary>
public sealed class CallPipelineTests : IAsyncLifetime
{
    private const string Account = "111122223333";
    private const string Region = "us-east-1";
    private const string Canary = "pipeline-canary-value-7f3a";
    private readonly Keyring _keyring = new();
    private FaultyStore _store = null!;
    private CofferServices _services = null!;

    public async Task InitializeAsync()
    {
        var root = RootKey.Generate();
        var chain = new AuditChainKeeper(null);
        chain.Open(AuditKeys.Derive(root), 1);
        _keyring.Unseal(root);
        _store = new FaultyStore(SqliteStore.OpenMemory(chain));
        _services = new CofferServices(_store, _keyring, TimeProvider.System, Account, chain);
        var put = await PutAsync("/app/prod/db/password");
        Assert.True(put.Succeeded);
    }

    [Fact]
    public async Task A_read_whose_audit_append_fails_is_refused_and_returns_nothing_of_the_value()
    {
        _store.FailAuditAppends = true;

        var read = await _services.Pipeline.RunAsync(Request("GetParameter"), (call, ct) => _services.Parameters.GetParameterAsync(call, "/app/prod/db/password", true, ct), CancellationToken.None);

        Assert.False(read.Succeeded);
        Assert.Null(read.Value);
        Assert.Equal((ErrorCodes.InternalFailure, CallPipeline.RefusedMessage), (read.Error!.Code, read.Error.Message));
        Assert.DoesNotContain(Canary, read.Error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_read_is_answered_with_its_record_appended()
    {
        var before = await AuditCountAsync();

        var read = await _services.Pipeline.RunAsync(Request("GetParameter"), (call, ct) => _services.Parameters.GetParameterAsync(call, "/app/prod/db/password", true, ct), CancellationToken.None);

        Assert.Equal(Canary, read.Value!.Value);
        Assert.Equal(before + 1, await AuditCountAsync());
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public async Task A_change_its_record_and_its_event_commit_together_or_not_at_all(bool failAudit, bool failEvent)
    {
        var (audits, events) = (await AuditCountAsync(), await EventCountAsync());
        _store.FailAuditAppends = failAudit;
        _store.FailEventAppends = failEvent;

        var put = await PutAsync("/app/prod/db/new");

        Assert.False(put.Succeeded);
        _store.FailAuditAppends = _store.FailEventAppends = false;
        Assert.Equal(events, await EventCountAsync());
        var read = await _services.Pipeline.RunAsync(Request("GetParameter"), (call, ct) => _services.Parameters.GetParameterAsync(call, "/app/prod/db/new", false, ct), CancellationToken.None);
        Assert.Equal("ParameterNotFound", read.Error!.Code);

        // Only the refused put's own failure record (when the audit works) and the read's: no record of a change.
        Assert.Equal(audits + (failAudit ? 1 : 2), await AuditCountAsync());
    }

    [Fact]
    public async Task A_fault_in_an_operation_is_recorded_and_answered_as_InternalFailure_without_its_text()
    {
        var before = await AuditCountAsync();

        var outcome = await _services.Pipeline.RunAsync<int>(Request("GetParameter"), (_, _) => throw new InvalidOperationException("fault text " + Canary), CancellationToken.None);

        Assert.Equal((ErrorCodes.InternalFailure, CallPipeline.InternalMessage), (outcome.Error!.Code, outcome.Error.Message));
        Assert.Equal(before + 1, await AuditCountAsync());
    }

    [Fact]
    public void No_entry_point_can_make_a_call_without_the_pipeline()
    {
        Assert.Empty(typeof(Call).GetConstructors());
        Assert.DoesNotContain(typeof(Call).GetMethods(), m => m.IsStatic && m.IsPublic && m.ReturnType == typeof(Call));
    }

    private Task<CallOutcome<PutParameterResult>> PutAsync(string name) =>
        _services.Pipeline.RunAsync(
            Request("PutParameter"),
            (call, ct) => _services.Parameters.PutParameterAsync(call, new PutParameterInput { Name = name, Value = Canary, Type = "SecureString" }, ct),
            CancellationToken.None);

    private static CallRequest Request(string operation) =>
        new(new Principal(PrincipalType.Root, Account, $"arn:aws:iam::{Account}:root", Account, "AKIAPIPELINETEST0001"), Region, "ssm.amazonaws.com", operation, RequestOrigin.Internal(Guid.NewGuid().ToString(), DateTimeOffset.UtcNow));

    private async Task<int> AuditCountAsync() => (await _store.ReadAsync((s, ct) => s.Audit.ReadAfterAsync(0, int.MaxValue, ct))).Count;

    private async Task<int> EventCountAsync() => (await _store.ReadAsync((s, ct) => s.Events.ReadAfterAsync(0, int.MaxValue, ct))).Count;

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        _keyring.Dispose();
    }
}

/// <summary>Issue 9: every operation the server registers is audited, whatever its outcome, through the real wire.</summary>
public sealed class EveryOperationIsAuditedTests(CofferFixture fixture) : IClassFixture<CofferFixture>
{
    public static IEnumerable<object[]> JsonTargets() =>
        AwsServices.Json().SelectMany(s => s.Operations.Select(o => new object[] { s.SigningName, s.TargetPrefix + "." + o.Name }));

    public static IEnumerable<object[]> QueryActions() =>
        AwsServices.Query().SelectMany(s => s.Operations.Select(o => new object[] { s.SigningName, o.Name }));

    [Theory]
    [MemberData(nameof(JsonTargets))]
    public async Task Every_json_operation_leaves_an_audit_record(string service, string target)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(fixture.Endpoint + "/")) { Content = new StringContent("{}", Encoding.UTF8) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-amz-json-1.1");
        request.Headers.TryAddWithoutValidation("X-Amz-Target", target);
        await SigV4Signer.SignAsync(request, CofferFixture.AccessKeyId, CofferFixture.SecretAccessKey, null, CofferFixture.Region, service, DateTimeOffset.UtcNow);

        using var response = await http.SendAsync(request);

        await AssertAuditedAsync(response, target[(target.LastIndexOf('.') + 1)..]);
    }

    [Theory]
    [MemberData(nameof(QueryActions))]
    public async Task Every_query_operation_leaves_an_audit_record(string service, string action)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(fixture.Endpoint + "/"))
        {
            Content = new FormUrlEncodedContent([new("Action", action), new("Version", service == "iam" ? "2010-05-08" : "2011-06-15")]),
        };
        await SigV4Signer.SignAsync(request, CofferFixture.AccessKeyId, CofferFixture.SecretAccessKey, null, CofferFixture.Region, service, DateTimeOffset.UtcNow);

        using var response = await http.SendAsync(request);

        await AssertAuditedAsync(response, action);
    }

    private async Task AssertAuditedAsync(HttpResponseMessage response, string eventName)
    {
        var requestId = response.Headers.GetValues("x-amzn-RequestId").Single();
        var records = await fixture.Server.Services.Store.ReadAsync((s, ct) => s.Audit.ReadAfterAsync(0, int.MaxValue, ct));
        Assert.Contains(records, r => r.Json.Contains($"\"requestID\":\"{requestId}\"", StringComparison.Ordinal) && r.Json.Contains($"\"eventName\":\"{eventName}\"", StringComparison.Ordinal));
    }
}
