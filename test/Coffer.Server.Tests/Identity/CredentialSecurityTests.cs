using System.Net;
using System.Text;
using Amazon.KeyManagementService;
using Amazon.KeyManagementService.Model;
using Coffer.Server.Auth;
using Coffer.Server.Hosting;
using Coffer.Server.Tests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace Coffer.Server.Tests.Identity;

/// <summary>Revoked keys and tampered or replayed query requests are refused (SigV4Tests covers the JSON protocol); secrets are shown once and stored wrapped.</summary>
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
    public async Task A_query_request_with_a_changed_body_or_signed_outside_the_window_is_refused_in_the_query_protocols_terms()
    {
        using var http = new HttpClient();

        // Signed to create one user, sent to create another: the body no longer matches its hash.
        using var changed = await SignedIamRequestAsync(DateTimeOffset.UtcNow, ("Action", "CreateUser"), ("UserName", "mallory-a"));
        changed.Content = new FormUrlEncodedContent([new("Action", "CreateUser"), new("Version", "2010-05-08"), new("UserName", "mallory-b")]);
        await AssertRefusedAsync(await http.SendAsync(changed), "SignatureDoesNotMatch");

        // A request captured and replayed six minutes later.
        using var replayed = await SignedIamRequestAsync(DateTimeOffset.UtcNow.AddMinutes(-6), ("Action", "ListUsers"));
        var body = await AssertRefusedAsync(await http.SendAsync(replayed), "SignatureDoesNotMatch");
        Assert.Contains("Signature expired", body, StringComparison.Ordinal);

        var users = (await _iam.CallAsync("ListUsers")).ToString();
        Assert.DoesNotContain("mallory", users, StringComparison.Ordinal);
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

    private async Task<HttpRequestMessage> SignedIamRequestAsync(DateTimeOffset at, params (string Name, string Value)[] fields)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(fixture.Endpoint + "/"))
        {
            Content = new FormUrlEncodedContent([new("Version", "2010-05-08"), .. fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value))]),
        };
        await SigV4Signer.SignAsync(request, CofferFixture.AccessKeyId, CofferFixture.SecretAccessKey, null, CofferFixture.Region, "iam", at);
        return request;
    }

    private static async Task<string> AssertRefusedAsync(HttpResponseMessage response, string code)
    {
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Contains($"<Code>{code}</Code>", body, StringComparison.Ordinal);
            return body;
        }
    }
}
