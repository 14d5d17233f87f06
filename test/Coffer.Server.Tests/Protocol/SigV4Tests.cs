using System.Text;
using Coffer.Server.Auth;
using Coffer.Signing;
using Coffer.Server.Tests.Infrastructure;

namespace Coffer.Server.Tests.Protocol;

/// <summary>SigV4 against AWS's published test suite, then against the server with every way a signature can be wrong.</summary>
public sealed class SigV4Tests(CofferFixture fixture) : IClassFixture<CofferFixture>, IDisposable
{
    private const string SuiteSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    private readonly RawClient _raw = new(fixture);

    // From AWS's SigV4 test suite (aws-sig-v4-test-suite): request, and the signature AWS publishes for it.
    [Theory]
    [InlineData("get-vanilla", "GET", "/", "", "", "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31")]
    [InlineData("get-vanilla-query-order-key-case", "GET", "/", "Param2=value2&Param1=value1", "", "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500")]
    [InlineData("get-utf8", "GET", "/ሴ", "", "", "8318018e0b0f223aa2bbf98705b62bb787dc9c0e678f255a891fd03141be5d85")]
    [InlineData("get-space", "GET", "/example space/", "", "", "652487583200325589f1fba4c7e578f72c47cb61beeca81406b39ddec1366741")]
    [InlineData("post-vanilla", "POST", "/", "", "", "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b")]
    [InlineData("post-vanilla-query", "POST", "/", "Param1=value1", "", "28038455d6de14eafc1f9222cf5aa6f1a96197d7deb8263271d420d138af7f11")]
    public void Signatures_match_AWS_published_test_suite(string name, string method, string path, string query, string body, string expected)
    {
        var headers = new Dictionary<string, IReadOnlyList<string>>
        {
            ["host"] = ["example.amazonaws.com"],
            ["x-amz-date"] = ["20150830T123600Z"],
        };
        var input = new SigV4.CanonicalInput(method, path, SigV4.ParseQuery(query), headers, ["host", "x-amz-date"], SigV4.Hex(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(body))))
        {
            DoubleEncodePath = false,
        };
        var key = SigV4.SigningKey(Encoding.UTF8.GetBytes(SuiteSecret), "20150830", "us-east-1", "service");
        var signature = SigV4.Signature(key, SigV4.StringToSign("20150830T123600Z", SigV4.Scope("20150830", "us-east-1", "service"), SigV4.CanonicalRequest(input)));

        Assert.True(expected == signature, name);
    }

    [Fact]
    public async Task A_correctly_signed_request_is_served()
    {
        var (status, _, _, _) = await _raw.SendSignedAsync("TrentService.ListKeys", "{}");
        Assert.Equal(200, status);
    }

    [Fact]
    public async Task No_signature_at_all_is_MissingAuthenticationTokenException_403()
    {
        var (status, type, _, _) = await _raw.SendAsync(RawClient.Json(fixture, "TrentService.ListKeys", "{}"));
        Assert.Equal((403, "MissingAuthenticationTokenException"), (status, type));
    }

    [Fact]
    public async Task An_unknown_access_key_is_UnrecognizedClientException()
    {
        var (status, type, message, _) = await _raw.SendSignedAsync("TrentService.ListKeys", "{}", accessKeyId: "AKIAUNKNOWNUNKNOWN00");
        Assert.Equal((400, "UnrecognizedClientException"), (status, type));
        Assert.Equal("The security token included in the request is invalid.", message);
    }

    [Fact]
    public async Task A_wrong_secret_is_InvalidSignatureException()
    {
        var (status, type, message, _) = await _raw.SendSignedAsync("TrentService.ListKeys", "{}", secret: "not-the-secret");
        Assert.Equal((400, "InvalidSignatureException"), (status, type));
        Assert.StartsWith("The request signature we calculated does not match", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-10)]
    [InlineData(10)]
    public async Task A_request_signed_outside_the_five_minute_window_is_refused(int minutes)
    {
        var (status, type, message, _) = await _raw.SendSignedAsync("TrentService.ListKeys", "{}", at: DateTimeOffset.UtcNow.AddMinutes(minutes));
        Assert.Equal((400, "InvalidSignatureException"), (status, type));
        Assert.StartsWith(minutes < 0 ? "Signature expired" : "Signature not yet current", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_request_signed_four_minutes_ago_is_still_accepted()
    {
        var (status, _, _, _) = await _raw.SendSignedAsync("TrentService.ListKeys", "{}", at: DateTimeOffset.UtcNow.AddMinutes(-4));
        Assert.Equal(200, status);
    }

    [Fact]
    public async Task A_body_changed_after_signing_is_refused()
    {
        var request = RawClient.Json(fixture, "TrentService.CreateKey", "{\"Description\":\"signed\"}");
        var (status, type, _, _) = await _raw.SendAsync(request, Sign, r =>
        {
            r.Content = new StringContent("{\"Description\":\"changed\"}", Encoding.UTF8);
            r.Content.Headers.ContentType = new("application/x-amz-json-1.1");
        });
        Assert.Equal((400, "InvalidSignatureException"), (status, type));
    }

    [Fact]
    public async Task A_signed_header_changed_after_signing_is_refused()
    {
        var request = RawClient.Json(fixture, "TrentService.ListKeys", "{}");
        var (status, type, _, _) = await _raw.SendAsync(request, Sign, r =>
        {
            r.Headers.Remove("X-Amz-Target");
            r.Headers.TryAddWithoutValidation("X-Amz-Target", "TrentService.ListAliases");
        });
        Assert.Equal((400, "InvalidSignatureException"), (status, type));
    }

    [Fact]
    public async Task A_declared_payload_hash_that_does_not_match_the_body_is_refused()
    {
        var request = RawClient.Json(fixture, "TrentService.ListKeys", "{}");
        request.Headers.TryAddWithoutValidation("X-Amz-Content-Sha256", new string('0', 64));
        var (status, type, _, _) = await _raw.SendAsync(request, Sign);
        Assert.Equal((400, "InvalidSignatureException"), (status, type));
    }

    [Theory]
    [InlineData("AWS4-HMAC-SHA256 Credential=AKIACOFFERTESTROOT01/20260101/us-east-1/kms/aws4_request")]
    [InlineData("AWS4-HMAC-SHA256 garbage")]
    [InlineData("AWS4-ECDSA-P256-SHA256 Credential=x, SignedHeaders=host, Signature=00")]
    [InlineData("AWS4-HMAC-SHA256 Credential=AKIACOFFERTESTROOT01/20260101/kms/aws4_request, SignedHeaders=host;x-amz-date, Signature=00")]
    public async Task A_garbled_authorization_header_is_IncompleteSignatureException(string authorization)
    {
        var request = RawClient.Json(fixture, "TrentService.ListKeys", "{}");
        request.Headers.TryAddWithoutValidation("X-Amz-Date", SigV4.FormatDate(DateTimeOffset.UtcNow));
        request.Headers.TryAddWithoutValidation("Authorization", authorization);
        var (status, type, _, _) = await _raw.SendAsync(request);
        Assert.Equal((400, "IncompleteSignatureException"), (status, type));
    }

    [Fact]
    public async Task A_signature_scoped_to_another_service_is_refused()
    {
        var (status, type, message, _) = await _raw.SendSignedAsync("TrentService.ListKeys", "{}", service: "ssm");
        Assert.Equal((400, "InvalidSignatureException"), (status, type));
        Assert.Contains("'kms'", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_presigned_request_is_accepted_until_it_expires()
    {
        Assert.Equal(200, await SendPresignedAsync(DateTimeOffset.UtcNow, expires: 300));
        Assert.Equal(400, await SendPresignedAsync(DateTimeOffset.UtcNow.AddSeconds(-120), expires: 60));
    }

    private async Task<int> SendPresignedAsync(DateTimeOffset at, int expires)
    {
        var amzDate = SigV4.FormatDate(at);
        var date = amzDate[..8];
        var scope = SigV4.Scope(date, CofferFixture.Region, "kms");
        var query = new List<KeyValuePair<string, string>>
        {
            new("X-Amz-Algorithm", SigV4.Algorithm),
            new("X-Amz-Credential", $"{CofferFixture.AccessKeyId}/{scope}"),
            new("X-Amz-Date", amzDate),
            new("X-Amz-Expires", expires.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new("X-Amz-SignedHeaders", "host;x-amz-target"),
        };
        var uri = new Uri(fixture.Endpoint);
        var body = "";
        var headers = new Dictionary<string, IReadOnlyList<string>>
        {
            ["host"] = [$"{uri.Host}:{uri.Port}"],
            ["x-amz-target"] = ["TrentService.ListKeys"],
        };
        var input = new SigV4.CanonicalInput("POST", "/", query, headers, ["host", "x-amz-target"], SigV4.Hex(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(body))));
        var key = SigV4.SigningKey(Encoding.UTF8.GetBytes(CofferFixture.SecretAccessKey), date, CofferFixture.Region, "kms");
        var signature = SigV4.Signature(key, SigV4.StringToSign(amzDate, scope, SigV4.CanonicalRequest(input)));
        var queryString = string.Join('&', query.Select(p => $"{SigV4.UriEncode(p.Key)}={SigV4.UriEncode(p.Value)}")) + "&X-Amz-Signature=" + signature;

        var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"{fixture.Endpoint}/?{queryString}")) { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = new("application/x-amz-json-1.1");
        request.Headers.TryAddWithoutValidation("X-Amz-Target", "TrentService.ListKeys");
        return (await _raw.SendAsync(request)).Status;
    }

    private static Task Sign(HttpRequestMessage r) =>
        SigV4Signer.SignAsync(r, CofferFixture.AccessKeyId, CofferFixture.SecretAccessKey, null, CofferFixture.Region, "kms", DateTimeOffset.UtcNow);

    public void Dispose() => _raw.Dispose();
}
