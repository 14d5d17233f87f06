using System.Security.Cryptography;
using System.Text;
using Amazon.KeyManagementService;
using Amazon.KeyManagementService.Model;
using Coffer.Core.Identity;
using Coffer.Server.Tests.Infrastructure;

namespace Coffer.Server.Tests.Protocol;

/// <summary>
/// Temporary credentials (ASIA keys with a session token), as STS issues them: the token must come
/// with every request and match, and an expired session is refused. The session is made here
/// directly in the credential store, so that SigV4's part is tested apart from STS's.
/// </summary>
public sealed class SessionCredentialTests(FakeClockCofferFixture fixture) : IClassFixture<FakeClockCofferFixture>
{
    [Fact]
    public async Task A_session_works_with_its_token_only_and_not_after_it_expires()
    {
        var (accessKeyId, secret, token) = await CreateSessionAsync(TimeSpan.FromHours(1));

        using var good = fixture.Kms(fixture.Credentials(accessKeyId, secret, token));
        await good.ListKeysAsync(new ListKeysRequest());

        using var wrongToken = fixture.Kms(fixture.Credentials(accessKeyId, secret, token + "x"));
        var wrong = await Assert.ThrowsAnyAsync<AmazonKeyManagementServiceException>(() => wrongToken.ListKeysAsync(new ListKeysRequest()));
        Assert.Equal("UnrecognizedClientException", wrong.ErrorCode);

        using var noToken = fixture.Kms(fixture.Credentials(accessKeyId, secret));
        var missing = await Assert.ThrowsAnyAsync<AmazonKeyManagementServiceException>(() => noToken.ListKeysAsync(new ListKeysRequest()));
        Assert.Equal("UnrecognizedClientException", missing.ErrorCode);

        fixture.Clock!.Advance(TimeSpan.FromHours(1.01));
        var expired = await Assert.ThrowsAnyAsync<AmazonKeyManagementServiceException>(() => good.ListKeysAsync(new ListKeysRequest()));
        Assert.Equal("ExpiredTokenException", expired.ErrorCode);
    }

    [Fact]
    public async Task A_long_term_key_with_a_session_token_is_refused()
    {
        using var kms = fixture.Kms(fixture.Credentials(CofferFixture.AccessKeyId, CofferFixture.SecretAccessKey, "unexpected-token"));
        var error = await Assert.ThrowsAnyAsync<AmazonKeyManagementServiceException>(() => kms.ListKeysAsync(new ListKeysRequest()));
        Assert.Equal("UnrecognizedClientException", error.ErrorCode);
    }

    private async Task<(string AccessKeyId, string Secret, string Token)> CreateSessionAsync(TimeSpan lifetime)
    {
        var services = fixture.Server.Services;
        var now = fixture.Clock!.GetUtcNow();
        var token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(48));
        var arn = $"arn:aws:sts::{CofferFixture.AccountId}:assumed-role/test/session";
        var (record, secret) = services.Credentials.Create("ASIA", CofferFixture.AccountId, PrincipalType.Root, arn, CofferFixture.AccountId, "session", now);
        record = record with { SessionTokenHash = SHA256.HashData(Encoding.UTF8.GetBytes(token)), Expiration = now + lifetime };
        await services.Store.WriteAsync(async (s, ct) =>
        {
            await s.AccessKeys.InsertAsync(record, ct);
            return true;
        });
        return (record.AccessKeyId, secret, token);
    }
}
