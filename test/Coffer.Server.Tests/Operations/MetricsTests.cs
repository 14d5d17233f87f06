using System.Net;
using System.Text;
using Amazon.KeyManagementService;
using Amazon.KeyManagementService.Model;
using Coffer.Server.Tests.Identity;
using Coffer.Server.Tests.Infrastructure;

namespace Coffer.Server.Tests.Operations;

/// <summary>
/// Issue 14: /_coffer/metrics in Prometheus text, counting real calls made through a real client,
/// answered on loopback or to a signed caller allowed coffer:GetMetrics, and naming no resource.
/// </summary>
public sealed class MetricsTests(CofferFixture fixture) : IClassFixture<CofferFixture>
{
    [Fact]
    public async Task A_scrape_after_real_calls_shows_the_request_and_latency_figures_moving()
    {
        var before = await Scrape.TakeAsync(fixture.Endpoint);
        using var kms = fixture.Kms();
        var key = await kms.CreateKeyAsync(new CreateKeyRequest());
        var blob = await kms.EncryptAsync(new EncryptRequest { KeyId = key.KeyMetadata.KeyId, Plaintext = new MemoryStream(Encoding.UTF8.GetBytes("metrics")) });
        for (var i = 0; i < 3; i++)
        {
            await kms.DecryptAsync(new DecryptRequest { CiphertextBlob = blob.CiphertextBlob });
        }

        await Assert.ThrowsAsync<NotFoundException>(() => kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = Guid.NewGuid().ToString() }));
        var after = await Scrape.TakeAsync(fixture.Endpoint);

        var decrypts = new[] { ("service", "kms"), ("operation", "Decrypt"), ("outcome", "success") };
        Assert.True(after.Sum("coffer_calls_total", decrypts) - before.Sum("coffer_calls_total", decrypts) >= 3, after.Text);
        Assert.True(after.Sum("coffer_call_duration_seconds_count", decrypts) - before.Sum("coffer_call_duration_seconds_count", decrypts) >= 3);

        // Bucketed in seconds for calls: a millisecond-scale call lands below a tenth of a second.
        Assert.True(after.Sum("coffer_call_duration_seconds_bucket", [.. decrypts, ("le", "0.1")]) > 0, after.Text);
        var missing = new[] { ("operation", "DescribeKey"), ("outcome", "client_error"), ("error_code", "NotFoundException") };
        Assert.True(after.Sum("coffer_calls_total", missing) > before.Sum("coffer_calls_total", missing));

        // A read's audit record is appended by the pipeline and timed; the store is timed under it.
        Assert.True(after.Sum("coffer_audit_append_duration_seconds_count") - before.Sum("coffer_audit_append_duration_seconds_count") >= 3);
        Assert.True(after.Sum("coffer_store_duration_seconds_count", ("operation", "write")) > before.Sum("coffer_store_duration_seconds_count", ("operation", "write")));
        Assert.True(after.Sum("coffer_cache_lookups_total", ("cache", "kms_material"), ("result", "hit")) > before.Sum("coffer_cache_lookups_total", ("cache", "kms_material"), ("result", "hit")));
        Assert.True(after.Has("coffer_sealed"));
        Assert.True(after.Has("coffer_events_pending"));
        Assert.True(after.Has("http_server_request_duration_seconds_count"));
    }

    [Fact]
    public async Task Denied_and_unauthenticated_calls_are_counted()
    {
        var iam = new IamClient(fixture);
        var (id, secret) = await iam.CreateUserAsync("metrics-denied-" + Guid.NewGuid().ToString("N")[..8]);
        var before = await Scrape.TakeAsync(fixture.Endpoint);
        using var kms = fixture.Kms(fixture.Credentials(id, secret));
        await Assert.ThrowsAsync<AmazonKeyManagementServiceException>(() => kms.ListKeysAsync(new ListKeysRequest()));
        using var forged = fixture.Kms(fixture.Credentials(id, "not-the-secret"));
        await Assert.ThrowsAsync<AmazonKeyManagementServiceException>(() => forged.ListKeysAsync(new ListKeysRequest()));
        var after = await Scrape.TakeAsync(fixture.Endpoint);

        Assert.True(after.Sum("coffer_calls_denied_total", ("operation", "ListKeys")) > before.Sum("coffer_calls_denied_total", ("operation", "ListKeys")));
        Assert.True(after.Sum("coffer_calls_total", ("operation", "ListKeys"), ("outcome", "denied")) > before.Sum("coffer_calls_total", ("operation", "ListKeys"), ("outcome", "denied")));
        Assert.True(after.Sum("coffer_auth_failures_total", ("error_code", "InvalidSignatureException")) > before.Sum("coffer_auth_failures_total", ("error_code", "InvalidSignatureException")));
    }

    [Fact]
    public async Task No_metric_label_names_a_key_alias_or_parameter()
    {
        const string canary = "metrics-canary-3f9d";
        using var kms = fixture.Kms();
        var key = await kms.CreateKeyAsync(new CreateKeyRequest { Description = canary });
        await kms.CreateAliasAsync(new CreateAliasRequest { AliasName = "alias/" + canary, TargetKeyId = key.KeyMetadata.KeyId });
        await kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = "alias/" + canary });

        var scrape = await Scrape.TakeAsync(fixture.Endpoint);
        Assert.DoesNotContain(canary, scrape.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(key.KeyMetadata.KeyId, scrape.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(CofferFixture.AccessKeyId, scrape.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task From_loopback_under_a_rebound_name_an_unsigned_scrape_is_refused()
    {
        using var http = new HttpClient();
        using var rebound = new HttpRequestMessage(HttpMethod.Get, new Uri(fixture.Endpoint + "/_coffer/metrics"));
        // What a browser sends for a page at rebound.example whose name now resolves to 127.0.0.1.
        rebound.Headers.Host = $"rebound.example:{new Uri(fixture.Endpoint).Port}";
        using var refused = await http.SendAsync(rebound);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.DoesNotContain("coffer_calls_total", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var own = await http.GetAsync(new Uri(fixture.Endpoint + "/_coffer/metrics"));
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
    }

    [Fact]
    public async Task Through_a_proxy_a_scrape_must_be_signed_by_a_caller_allowed_GetMetrics()
    {
        static void Proxied(HttpRequestMessage r) => r.Headers.Add("X-Forwarded-For", "203.0.113.9");
        using var http = new HttpClient();
        using (var unsigned = new HttpRequestMessage(HttpMethod.Get, new Uri(fixture.Endpoint + "/_coffer/metrics")))
        {
            Proxied(unsigned);
            using var refused = await http.SendAsync(unsigned);
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.DoesNotContain("coffer_calls_total", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        var iam = new IamClient(fixture);
        var (plainId, plainSecret) = await iam.CreateUserAsync("metrics-nobody-" + Guid.NewGuid().ToString("N")[..8]);
        using (var notAllowed = new HttpRequestMessage(HttpMethod.Get, new Uri(fixture.Endpoint + "/_coffer/metrics")))
        {
            Proxied(notAllowed);
            await Scrape.SignAsync(notAllowed, plainId, plainSecret);
            using var denied = await http.SendAsync(notAllowed);
            Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
            Assert.Contains("AccessDeniedException", await denied.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        const string allowMetrics = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"coffer:GetMetrics","Resource":"*"}]}""";
        var (scraperId, scraperSecret) = await iam.CreateUserAsync("metrics-scraper-" + Guid.NewGuid().ToString("N")[..8], allowMetrics);
        var scrape = await Scrape.TakeAsync(fixture.Endpoint, r =>
        {
            Proxied(r);
            Scrape.SignAsync(r, scraperId, scraperSecret).GetAwaiter().GetResult();
        });
        Assert.True(scrape.Has("coffer_calls_total"));

        // The signed scrape is a call like any other: audited, under the scraper's name.
        var records = await fixture.Server.Services.Store.ReadAsync((s, ct) => s.Audit.ReadAfterAsync(0, 100_000, ct));
        Assert.Contains(records, r => r.Json.Contains("\"eventName\":\"GetMetrics\"", StringComparison.Ordinal) && r.Json.Contains(scraperId, StringComparison.Ordinal));
    }
}
