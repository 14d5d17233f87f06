using System.Net;
using System.Text;
using Amazon.KeyManagementService;
using Amazon.KeyManagementService.Model;
using Coffer.Server.Auth;
using Coffer.Server.Hosting;
using Coffer.Server.Tests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace Coffer.Server.Tests.Identity;

/// <summary>Revoked keys and tampered requests are refused; secrets are shown once and stored wrapped.</summary>
public sealed class CredentialSecurityTests(CofferFixture fixture) : IClassFixture<CofferFixture>
{
    private readonly IamClient _iam = new(fixture);

    [Fact]
    public async Task A_deactivated_or_deleted_access_key_is_refused_at_once()
    {
        var name = "revoked-" + Guid.NewGuid().ToString("N")[..8];
        var (id, secret) = await _iam.CreateUserAsync(name, IamClient.Allow("\"kms:CreateKey\""));
        var kms = IamClient.Kms(fixture, id, secret);
        await kms.CreateKeyAsync(new CreateKeyRequest());

        await _iam.CallAsync("UpdateAccessKey", ("UserName", name), ("AccessKeyId", id), ("Status", "Inactive"));
        var inactive = await Assert.ThrowsAsync<AmazonKeyManagementServiceException>(() => kms.CreateKeyAsync(new CreateKeyRequest()));
        Assert.Equal("UnrecognizedClientException", inactive.ErrorCode);

        await _iam.CallAsync("UpdateAccessKey", ("UserName", name), ("AccessKeyId", id), ("Status", "Active"));
        await kms.CreateKeyAsync(new CreateKeyRequest());

        await _iam.CallAsync("DeleteAccessKey", ("UserName", name), ("AccessKeyId", id));
        var deleted = await Assert.ThrowsAsync<AmazonKeyManagementServiceException>(() => kms.CreateKeyAsync(new CreateKeyRequest()));
        Assert.Equal("UnrecognizedClientException", deleted.ErrorCode);
        var viaIam = await Assert.ThrowsAsync<IamException>(() => new IamClient(fixture.Endpoint, () => DateTimeOffset.UtcNow, id, secret).CallAsync("sts", "GetCallerIdentity"));
        Assert.Equal("InvalidClientTokenId", viaIam.Code);
        Assert.Equal(HttpStatusCode.Forbidden, viaIam.Status);
    }

    [Fact]
    public async Task A_signature_over_a_changed_header_or_body_is_refused()
    {
        var key = (await fixture.Kms().CreateKeyAsync(new CreateKeyRequest())).KeyMetadata.KeyId;
        using var http = new HttpClient();

        // Signed to describe the key, sent to schedule its deletion.
        using var header = await SignedKmsRequestAsync("TrentService.DescribeKey", $$"""{"KeyId":"{{key}}"}""");
        header.Headers.Remove("X-Amz-Target");
        header.Headers.Add("X-Amz-Target", "TrentService.ScheduleKeyDeletion");
        using var headerResponse = await http.SendAsync(header);
        Assert.Equal(HttpStatusCode.BadRequest, headerResponse.StatusCode);
        Assert.Contains("InvalidSignatureException", await headerResponse.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // Signed over one body, sent with another of the same length.
        using var body = await SignedKmsRequestAsync("TrentService.CreateKey", """{"Description":"aaaa"}""");
        body.Content = new StringContent("""{"Description":"bbbb"}""", Encoding.UTF8);
        body.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/x-amz-json-1.1");
        using var bodyResponse = await http.SendAsync(body);
        Assert.Equal(HttpStatusCode.BadRequest, bodyResponse.StatusCode);
        Assert.Contains("InvalidSignatureException", await bodyResponse.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        Assert.Equal(KeyState.Enabled, (await fixture.Kms().DescribeKeyAsync(new DescribeKeyRequest { KeyId = key })).KeyMetadata.KeyState);
    }

    [Fact]
    public async Task A_secret_access_key_is_returned_once_and_stored_only_wrapped()
    {
        var dir = Directory.CreateTempSubdirectory("coffer-secrets-").FullName;
        try
        {
            var root = await DataDirectory.InitializeAsync(dir, CofferFixture.AccountId, passphrase: null);
            string accessKeyId, secret, sessionToken;
            await using (var server = await CofferServer.StartAsync(new CofferServerOptions { DataDir = dir, Urls = "http://127.0.0.1:0", ScheduleInterval = Timeout.InfiniteTimeSpan }, logging => logging.AddProvider(fixture.Logs)))
            {
                var endpoint = server.BaseAddress.ToString().TrimEnd('/');
                var iam = new IamClient(endpoint, () => DateTimeOffset.UtcNow, root.AccessKeyId, root.SecretAccessKey);
                await iam.CallAsync("CreateUser", ("UserName", "once"));
                var created = await iam.CallAsync("CreateAccessKey", ("UserName", "once"));
                (accessKeyId, secret) = (IamClient.Value(created, "AccessKeyId"), IamClient.Value(created, "SecretAccessKey"));
                var session = await iam.CallAsync("sts", "GetSessionToken");
                sessionToken = IamClient.Value(session, "SessionToken");

                foreach (var (action, parameters) in new (string, (string, string)[])[] { ("ListAccessKeys", [("UserName", "once")]), ("GetUser", [("UserName", "once")]), ("ListUsers", []) })
                {
                    var text = (await iam.CallAsync(action, parameters)).ToString();
                    Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
                    Assert.DoesNotContain("SecretAccessKey", text, StringComparison.Ordinal);
                }

                Assert.Contains(accessKeyId, (await iam.CallAsync("ListAccessKeys", ("UserName", "once"))).ToString(), StringComparison.Ordinal);
            }

            var stored = Encoding.Latin1.GetString(Directory.EnumerateFiles(dir, "coffer.db*").SelectMany(File.ReadAllBytes).ToArray());
            Assert.Contains(accessKeyId, stored, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, stored, StringComparison.Ordinal);
            Assert.DoesNotContain(sessionToken, stored, StringComparison.Ordinal);
            Assert.DoesNotContain(root.SecretAccessKey, stored, StringComparison.Ordinal);
            Assert.DoesNotContain(fixture.Logs.Lines, line => line.Contains(secret, StringComparison.Ordinal) || line.Contains(sessionToken, StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private async Task<HttpRequestMessage> SignedKmsRequestAsync(string target, string json)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(fixture.Endpoint + "/")) { Content = new StringContent(json, Encoding.UTF8) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/x-amz-json-1.1");
        request.Headers.Add("X-Amz-Target", target);
        await SigV4Signer.SignAsync(request, CofferFixture.AccessKeyId, CofferFixture.SecretAccessKey, null, CofferFixture.Region, "kms", DateTimeOffset.UtcNow);
        return request;
    }
}
