using System.Net;
using System.Text;
using Amazon.KeyManagementService.Model;
using Coffer.Server.Auth;
using Coffer.Server.Hosting;
using Coffer.Server.Tests.Infrastructure;

namespace Coffer.Server.Tests.Security;

/// <summary>
/// Issue 8: dev mode's reset needed no credentials, so any web page could wipe a local dev server
/// with a cross-origin text/plain POST. Now it takes the dev root's signature, and no /_coffer/
/// endpoint answers a browser's cross-origin request.
/// </summary>
public sealed class AdminEndpointTests(CofferFixture fixture) : IClassFixture<CofferFixture>
{
    [Fact]
    public async Task An_unsigned_reset_is_refused_and_wipes_nothing()
    {
        var keyId = await CreateKeyAsync();
        using var http = new HttpClient();
        using var response = await http.PostAsync(new Uri(fixture.Endpoint + "/_coffer/reset"), null);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("\"__type\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await AssertKeyExistsAsync(keyId);
    }

    [Fact]
    public async Task A_reset_signed_with_a_wrong_secret_or_for_another_service_is_refused()
    {
        var keyId = await CreateKeyAsync();
        using var http = new HttpClient();
        foreach (var (secret, service) in new[] { ("not-the-secret", AdminEndpoints.SigningService), (CofferFixture.SecretAccessKey, "kms") })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(fixture.Endpoint + "/_coffer/reset"));
            await SigV4Signer.SignAsync(request, CofferFixture.AccessKeyId, secret, null, CofferFixture.Region, service, DateTimeOffset.UtcNow);
            using var response = await http.SendAsync(request);
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        }

        await AssertKeyExistsAsync(keyId);
    }

    [Fact]
    public async Task A_cross_origin_text_plain_post_to_reset_is_refused()
    {
        var keyId = await CreateKeyAsync();
        using var http = new HttpClient();

        // What a page on another site can send without a CORS preflight: a "simple" POST.
        using var simple = new HttpRequestMessage(HttpMethod.Post, new Uri(fixture.Endpoint + "/_coffer/reset"))
        {
            Content = new StringContent("x", Encoding.UTF8, "text/plain"),
        };
        simple.Headers.Add("Origin", "https://evil.example");
        simple.Headers.Add("Sec-Fetch-Site", "cross-site");
        using var response = await http.SendAsync(simple);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("web pages", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // Even correctly signed, a request that carries an Origin is a browser's and is refused.
        using var signed = new HttpRequestMessage(HttpMethod.Post, new Uri(fixture.Endpoint + "/_coffer/reset"));
        signed.Headers.Add("Origin", fixture.Endpoint);
        await SigV4Signer.SignAsync(signed, CofferFixture.AccessKeyId, CofferFixture.SecretAccessKey, null, CofferFixture.Region, AdminEndpoints.SigningService, DateTimeOffset.UtcNow);
        using var signedResponse = await http.SendAsync(signed);
        Assert.Equal(HttpStatusCode.Forbidden, signedResponse.StatusCode);

        await AssertKeyExistsAsync(keyId);
    }

    [Theory]
    [InlineData("Origin", "null")]
    [InlineData("Sec-Fetch-Site", "cross-site")]
    [InlineData("Sec-Fetch-Site", "same-site")]
    public async Task Every_coffer_endpoint_refuses_a_request_from_a_web_page(string header, string value)
    {
        using var http = new HttpClient();
        foreach (var (method, path) in new[] { (HttpMethod.Get, "/_coffer/health"), (HttpMethod.Post, "/_coffer/unseal"), (HttpMethod.Post, "/_coffer/reset") })
        {
            using var request = new HttpRequestMessage(method, new Uri(fixture.Endpoint + path));
            request.Headers.Add(header, value);
            using var response = await http.SendAsync(request);
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        }

        // The same request without the browser's marks is answered.
        using var health = await http.GetAsync(new Uri(fixture.Endpoint + "/_coffer/health"));
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task A_reset_signed_by_the_dev_root_wipes_the_server()
    {
        var keyId = await CreateKeyAsync();
        await fixture.ResetAsync();
        using var kms = fixture.Kms();
        Assert.DoesNotContain((await kms.ListKeysAsync(new ListKeysRequest())).Keys, k => k.KeyId == keyId);
    }

    private async Task<string> CreateKeyAsync()
    {
        using var kms = fixture.Kms();
        return (await kms.CreateKeyAsync(new CreateKeyRequest())).KeyMetadata.KeyId;
    }

    private async Task AssertKeyExistsAsync(string keyId)
    {
        using var kms = fixture.Kms();
        Assert.Equal(keyId, (await kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = keyId })).KeyMetadata.KeyId);
    }
}
