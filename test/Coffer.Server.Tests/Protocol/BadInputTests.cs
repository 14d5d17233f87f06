using System.Net.Http.Headers;
using Amazon.KeyManagementService.Model;
using Coffer.Server.Tests.Infrastructure;

namespace Coffer.Server.Tests.Protocol;

/// <summary>Bad input gets an AWS-shaped 4xx, changes nothing, and the server keeps serving.</summary>
public sealed class BadInputTests(CofferFixture fixture) : IClassFixture<CofferFixture>, IDisposable
{
    private readonly RawClient _raw = new(fixture);

    [Theory]
    [InlineData("TrentService.CreateKey", "{not json", "SerializationException")]
    [InlineData("TrentService.CreateKey", "[1,2,3]", "SerializationException")]
    [InlineData("TrentService.CreateKey", "{\"Description\": 5}", "SerializationException")]
    [InlineData("TrentService.CreateKey", "{\"Tags\": {\"a\": 1}}", "SerializationException")]
    [InlineData("TrentService.CreateKey", "{\"KeyUsage\": \"NOPE\"}", "ValidationException")]
    [InlineData("TrentService.CreateKey", "{\"Policy\": \"\"}", "ValidationException")]
    [InlineData("TrentService.Encrypt", "{\"Plaintext\": \"eA==\"}", "ValidationException")]
    [InlineData("TrentService.Encrypt", "{\"KeyId\": \"alias/x\", \"Plaintext\": \"not base64!\"}", "SerializationException")]
    [InlineData("TrentService.GenerateRandom", "{\"NumberOfBytes\": 1.5}", "SerializationException")]
    [InlineData("TrentService.GenerateRandom", "{\"NumberOfBytes\": 0}", "ValidationException")]
    [InlineData("TrentService.Explode", "{}", "UnknownOperationException")]
    [InlineData("TrentService.CreateCustomKeyStore", "{}", "UnknownOperationException")]
    [InlineData("NoSuchService.CreateKey", "{}", "UnknownOperationException")]
    [InlineData("TrentService", "{}", "UnknownOperationException")] // a service's prefix with no operation: was a 500
    [InlineData("AmazonSSM", "{}", "UnknownOperationException")]
    [InlineData("TrentService.", "{}", "UnknownOperationException")]
    [InlineData(".CreateKey", "{}", "UnknownOperationException")]
    public async Task Bad_requests_get_a_400_with_an_aws_error_type_and_change_nothing(string target, string body, string expectedType)
    {
        var before = await KeyCountAsync();

        var (status, type, message, response) = await _raw.SendSignedAsync(target, body);

        Assert.Equal((400, expectedType), (status, type));
        Assert.False(string.IsNullOrEmpty(message));
        Assert.DoesNotContain("   at ", message, StringComparison.Ordinal);
        Assert.True(response.Headers.Contains("x-amzn-RequestId"));
        Assert.Equal(before, await KeyCountAsync());
    }

    [Fact]
    public async Task Validation_errors_are_all_listed_in_aws_wording()
    {
        var body = "{\"KeyId\": \"" + new string('k', 2049) + "\", \"EncryptionAlgorithm\": \"ROT13\"}";
        var (_, type, message, _) = await _raw.SendSignedAsync("TrentService.Encrypt", body);

        Assert.Equal("ValidationException", type);
        Assert.StartsWith("3 validation errors detected: ", message, StringComparison.Ordinal);
        Assert.Contains("Value null at 'plaintext' failed to satisfy constraint: Member must not be null", message, StringComparison.Ordinal);
        Assert.Contains("at 'keyId' failed to satisfy constraint: Member must have length less than or equal to 2048", message, StringComparison.Ordinal);
        Assert.Contains("Value 'ROT13' at 'encryptionAlgorithm' failed to satisfy constraint: Member must satisfy enum value set: [SYMMETRIC_DEFAULT, RSAES_OAEP_SHA_1, RSAES_OAEP_SHA_256, SM2PKE]", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_too_long_plaintext_is_refused_without_echoing_it()
    {
        var plaintext = Convert.ToBase64String(new byte[4097]);
        var (_, type, message, _) = await _raw.SendSignedAsync("TrentService.Encrypt", $"{{\"KeyId\":\"alias/x\",\"Plaintext\":\"{plaintext}\"}}");

        Assert.Equal("ValidationException", type);
        Assert.DoesNotContain(plaintext, message, StringComparison.Ordinal);
        Assert.Equal("1 validation error detected: Value at 'plaintext' failed to satisfy constraint: Member must have length less than or equal to 4096", message);
    }

    [Fact]
    public async Task A_wrong_content_type_is_refused()
    {
        var (status, type, _, _) = await _raw.SendSignedAsync("TrentService.ListKeys", "{}", contentType: "text/plain");
        Assert.Equal((400, "UnknownOperationException"), (status, type));
    }

    [Fact]
    public async Task A_request_without_a_target_is_refused()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(fixture.Endpoint + "/"));
        var (status, type, _, _) = await _raw.SendAsync(request);
        Assert.Equal((400, "UnknownOperationException"), (status, type));
    }

    [Fact]
    public async Task A_body_over_the_limit_is_413_and_the_server_keeps_serving()
    {
        // Expect: 100-continue, as clients sending large bodies do: the server answers before the body
        // is sent, so the client is not left writing into a connection the server has answered.
        var huge = new string('x', 2 * 1024 * 1024);
        using var request = RawClient.Json(fixture, "TrentService.CreateKey", $"{{\"Description\":\"{huge}\"}}");
        request.Headers.ExpectContinue = true;
        var (status, type, _, _) = await _raw.SendAsync(request);
        Assert.Equal((413, "RequestEntityTooLargeException"), (status, type));

        using var chunked = new HttpRequestMessage(HttpMethod.Post, new Uri(fixture.Endpoint + "/"))
        {
            Content = new StreamContent(new MemoryStream(new byte[2 * 1024 * 1024])),
        };
        chunked.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/x-amz-json-1.1");
        chunked.Headers.TransferEncodingChunked = true;
        chunked.Headers.ExpectContinue = true;
        chunked.Headers.TryAddWithoutValidation("X-Amz-Target", "TrentService.CreateKey");
        try
        {
            Assert.Equal(413, (await _raw.SendAsync(chunked)).Status);
        }
        catch (HttpRequestException)
        {
            // A chunked body has no announced length: the server reads up to the limit, answers 413
            // and closes; a client still writing may see the reset before the answer. Either way
            // the request is refused, which the count below and the next request show.
        }

        var before = await KeyCountAsync();
        using var kms = fixture.Kms();
        await kms.CreateKeyAsync(new Amazon.KeyManagementService.Model.CreateKeyRequest());
        Assert.Equal(before + 1, await KeyCountAsync());
    }

    [Fact]
    public async Task Coffer_endpoints_that_do_not_exist_are_404_and_reset_exists_only_in_dev_mode()
    {
        using var http = new HttpClient();
        var health = await http.GetStringAsync(new Uri(fixture.Endpoint + "/_coffer/health"));
        Assert.Contains("\"sealed\":false", health, StringComparison.Ordinal);
        using var missing = await http.GetAsync(new Uri(fixture.Endpoint + "/_coffer/nothing"));
        Assert.Equal(404, (int)missing.StatusCode);
    }

    private async Task<int> KeyCountAsync()
    {
        using var kms = fixture.Kms();
        return (await kms.ListKeysAsync(new ListKeysRequest { Limit = 1000 })).Keys.Count;
    }

    public void Dispose() => _raw.Dispose();
}
