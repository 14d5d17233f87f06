using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Coffer.Server.Auth;
using Coffer.Signing;
using Coffer.Server.Tests.Infrastructure;

namespace Coffer.Server.Tests.Security;

/// <summary>
/// Issue 8, items 1 and 5: what a signature covers. A presigned URL handed to a third party as a
/// proof of identity must not become a way to call anything else, and a signed request must not be
/// replayed as another operation by adding an unsigned header or body.
/// </summary>
public sealed class SignedRequestTests(CofferFixture fixture) : IClassFixture<CofferFixture>, IDisposable
{
    private readonly HttpClient _http = new();
    private readonly RawClient _raw = new(fixture);

    [Fact]
    public async Task A_presigned_GetCallerIdentity_url_proves_identity_as_botocore_presigns_it()
    {
        var url = Presign("GET", "sts", [new("Action", "GetCallerIdentity"), new("Version", "2011-06-15")]);

        using var response = await _http.GetAsync(url);
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Contains($"<Arn>arn:aws:iam::{CofferFixture.AccountId}:root</Arn>", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Action=GetSessionToken&Version=2011-06-15")]
    [InlineData("Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A111122223333%3Arole%2Fx&RoleSessionName=s")]
    public async Task A_presigned_url_resent_with_a_form_body_mints_no_credentials(string body)
    {
        // The attack of issue 8: the signed query says GetCallerIdentity, the unsigned body asks for credentials.
        var url = Presign("GET", "sts", [new("Action", "GetCallerIdentity"), new("Version", "2011-06-15")]);
        using var request = new HttpRequestMessage(HttpMethod.Get, url) { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");

        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();

        Assert.InRange((int)response.StatusCode, 400, 499);
        Assert.DoesNotContain("SessionToken", text, StringComparison.Ordinal);
        Assert.DoesNotContain("SecretAccessKey", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_presigned_post_with_an_unsigned_target_and_body_is_refused()
    {
        var url = Presign("POST", "kms", []);
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent("{\"KeyUsage\":\"ENCRYPT_DECRYPT\"}", Encoding.UTF8) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-amz-json-1.1");
        request.Headers.TryAddWithoutValidation("X-Amz-Target", "TrentService.CreateKey");

        var (status, type, _, _) = await _raw.SendAsync(request);

        Assert.Equal((400, "IncompleteSignatureException"), (status, type));
    }

    [Fact]
    public async Task A_presigned_request_with_a_body_is_refused_even_with_its_target_signed()
    {
        var url = Presign("POST", "kms", [], ("x-amz-target", "TrentService.CreateKey"));
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent("{}", Encoding.UTF8) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-amz-json-1.1");
        request.Headers.TryAddWithoutValidation("X-Amz-Target", "TrentService.CreateKey");

        var (status, type, message, _) = await _raw.SendAsync(request);

        Assert.Equal((400, "InvalidSignatureException"), (status, type));
        Assert.Contains("presigned request carries no body", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unsigned_payload_is_refused_on_a_header_signed_request()
    {
        var request = RawClient.Json(fixture, "TrentService.ListKeys", "{}");
        request.Headers.TryAddWithoutValidation("X-Amz-Content-Sha256", SigV4.UnsignedPayload);

        var (status, type, _, _) = await _raw.SendAsync(request, Sign);

        Assert.Equal((400, "InvalidSignatureException"), (status, type));
    }

    [Fact]
    public async Task A_target_header_outside_the_signature_is_refused()
    {
        // Signed as ListKeys with only host and x-amz-date; the target is added after signing.
        var request = RawClient.Json(fixture, "TrentService.ListKeys", "{}");
        request.Headers.Remove("X-Amz-Target");
        await Sign(request);
        request.Headers.TryAddWithoutValidation("X-Amz-Target", "TrentService.CreateKey");

        var (status, type, message, _) = await _raw.SendAsync(request);

        Assert.Equal((400, "IncompleteSignatureException"), (status, type));
        Assert.Contains("x-amz-target", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_query_request_takes_parameters_from_the_query_or_the_body_not_both()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(fixture.Endpoint + "/?Action=GetCallerIdentity&Version=2011-06-15"))
        {
            Content = new StringContent("Action=GetSessionToken&Version=2011-06-15", Encoding.UTF8),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");
        await SigV4Signer.SignAsync(request, CofferFixture.AccessKeyId, CofferFixture.SecretAccessKey, null, CofferFixture.Region, "sts", DateTimeOffset.UtcNow);

        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(400, (int)response.StatusCode);
        Assert.Contains("<Code>ValidationError</Code>", text, StringComparison.Ordinal);
        Assert.DoesNotContain("SessionToken", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new byte[] { 0x7B, 0x22, 0x4B, 0x65, 0x79, 0x49, 0x64, 0x22, 0x3A, 0x22, 0xC3, 0x28, 0x22, 0x7D })] // {"KeyId":"\xC3("}
    [InlineData(new byte[] { 0x7B, 0x22, 0xFF, 0xFE, 0x22, 0x3A, 0x31, 0x7D })] // a property name that is not UTF-8
    public async Task A_body_that_is_not_utf8_is_a_400_serialization_error(byte[] body)
    {
        var (status, type) = await SendBytesAsync(body);
        Assert.Equal((400, "SerializationException"), (status, type));
    }

    [Theory]
    [InlineData("{\"KeyId\":\"\\ud800\"}")]
    [InlineData("{\"KeyId\":\"abc\\udfff\"}")]
    [InlineData("{\"\\ud800\":\"x\"}")]
    public async Task An_escaped_lone_surrogate_is_a_400_serialization_error(string body)
    {
        var (status, type) = await SendBytesAsync(Encoding.UTF8.GetBytes(body));
        Assert.Equal((400, "SerializationException"), (status, type));
    }

    [Theory]
    [InlineData("{\"Description\":\"a\",\"Description\":\"b\"}")]
    [InlineData("{\"Tags\":[{\"TagKey\":\"k\",\"TagValue\":\"v\",\"TagKey\":\"other\"}]}")]
    public async Task A_member_given_twice_is_refused_rather_than_validated_once_and_used_once(string body)
    {
        // The model validator and the deserializer must not read different copies of one member.
        var (status, type) = await SendBytesAsync(Encoding.UTF8.GetBytes(body), "TrentService.CreateKey");
        Assert.Equal((400, "SerializationException"), (status, type));
    }

    [Fact]
    public async Task An_escaped_surrogate_pair_is_text_and_is_served()
    {
        var (status, type) = await SendBytesAsync(Encoding.UTF8.GetBytes("{\"Description\":\"key \\ud83d\\udd11\"}"), "TrentService.CreateKey");
        Assert.Equal((200, (string?)null), (status, type));
    }

    private async Task<(int Status, string? Type)> SendBytesAsync(byte[] body, string target = "TrentService.DescribeKey")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(fixture.Endpoint + "/")) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-amz-json-1.1");
        request.Headers.TryAddWithoutValidation("X-Amz-Target", target);
        var (status, type, _, _) = await _raw.SendAsync(request, Sign);
        return (status, type);
    }

    private static Task Sign(HttpRequestMessage r) =>
        SigV4Signer.SignAsync(r, CofferFixture.AccessKeyId, CofferFixture.SecretAccessKey, null, CofferFixture.Region, "kms", DateTimeOffset.UtcNow);

    /// <summary>A presigned URL as botocore's presigner makes it: UNSIGNED-PAYLOAD, host (and the given headers) signed.</summary>
    private Uri Presign(string method, string service, List<KeyValuePair<string, string>> parameters, params (string Name, string Value)[] signedHeaders)
    {
        var now = DateTimeOffset.UtcNow;
        var amzDate = SigV4.FormatDate(now);
        var scope = SigV4.Scope(amzDate[..8], CofferFixture.Region, service);
        var names = new[] { "host" }.Concat(signedHeaders.Select(h => h.Name)).Order(StringComparer.Ordinal).ToList();
        var query = new List<KeyValuePair<string, string>>(parameters)
        {
            new("X-Amz-Algorithm", SigV4.Algorithm),
            new("X-Amz-Credential", $"{CofferFixture.AccessKeyId}/{scope}"),
            new("X-Amz-Date", amzDate),
            new("X-Amz-Expires", "300"),
            new("X-Amz-SignedHeaders", string.Join(';', names)),
        };
        var uri = new Uri(fixture.Endpoint);
        var headers = new Dictionary<string, IReadOnlyList<string>> { ["host"] = [$"{uri.Host}:{uri.Port.ToString(CultureInfo.InvariantCulture)}"] };
        foreach (var (name, value) in signedHeaders)
        {
            headers[name] = [value];
        }

        var input = new SigV4.CanonicalInput(method, "/", query, headers, names, SigV4.UnsignedPayload);
        var key = SigV4.SigningKey(Encoding.UTF8.GetBytes(CofferFixture.SecretAccessKey), amzDate[..8], CofferFixture.Region, service);
        var signature = SigV4.Signature(key, SigV4.StringToSign(amzDate, scope, SigV4.CanonicalRequest(input)));
        var text = string.Join('&', query.Select(p => $"{SigV4.UriEncode(p.Key)}={SigV4.UriEncode(p.Value)}")) + "&X-Amz-Signature=" + signature;
        return new Uri($"{fixture.Endpoint}/?{text}");
    }

    public void Dispose()
    {
        _http.Dispose();
        _raw.Dispose();
    }
}
