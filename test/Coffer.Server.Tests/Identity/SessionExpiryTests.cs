using System.Net;
using Coffer.Server.Auth;
using Coffer.Server.Tests.Infrastructure;

namespace Coffer.Server.Tests.Identity;

/// <summary>Time-bound checks with the server's clock moved forward: expired sessions and replayed requests are refused.</summary>
public sealed class SessionExpiryTests(FakeClockCofferFixture fixture) : IClassFixture<FakeClockCofferFixture>
{
    private readonly IamClient _iam = new(fixture);

    [Fact]
    public async Task An_expired_session_is_refused()
    {
        var roleArn = await _iam.CreateRoleAsync("expiring-" + Guid.NewGuid().ToString("N")[..8], IamClient.Trust($"{{\"AWS\":\"arn:aws:iam::{CofferFixture.AccountId}:root\"}}"));
        var assumed = await _iam.CallAsync("sts", "AssumeRole", ("RoleArn", roleArn), ("RoleSessionName", "short"), ("DurationSeconds", "900"));
        var session = new IamClient(fixture.Endpoint, () => fixture.Clock!.GetUtcNow(), IamClient.Value(assumed, "AccessKeyId"), IamClient.Value(assumed, "SecretAccessKey"), IamClient.Value(assumed, "SessionToken"));
        Assert.Contains(":assumed-role/", IamClient.Value(await session.CallAsync("sts", "GetCallerIdentity"), "Arn"), StringComparison.Ordinal);

        fixture.Clock!.Advance(TimeSpan.FromSeconds(901));

        var expired = await Assert.ThrowsAsync<IamException>(() => session.CallAsync("sts", "GetCallerIdentity"));
        Assert.Equal("ExpiredToken", expired.Code);
        Assert.Equal("The security token included in the request is expired", expired.Message[(expired.Code.Length + 2)..]);
    }

    [Fact]
    public async Task A_request_replayed_outside_the_clock_skew_window_is_refused()
    {
        var signedAt = fixture.Clock!.GetUtcNow();
        using var http = new HttpClient();
        using (var first = await SignedAsync(signedAt))
        using (var response = await http.SendAsync(first))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        fixture.Clock.Advance(SigV4Verifier.MaxSkew + TimeSpan.FromSeconds(1));

        using var replay = await SignedAsync(signedAt);
        using var replayed = await http.SendAsync(replay);
        var body = await replayed.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.Forbidden, replayed.StatusCode);
        Assert.Contains("<Code>SignatureDoesNotMatch</Code>", body, StringComparison.Ordinal);
        Assert.Contains("Signature expired", body, StringComparison.Ordinal);
    }

    /// <summary>The same request, byte for byte, each time: signed at <paramref name="time"/>.</summary>
    private async Task<HttpRequestMessage> SignedAsync(DateTimeOffset time)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(fixture.Endpoint + "/"))
        {
            Content = new FormUrlEncodedContent([new("Action", "GetCallerIdentity"), new("Version", "2011-06-15")]),
        };
        await SigV4Signer.SignAsync(request, CofferFixture.AccessKeyId, CofferFixture.SecretAccessKey, null, CofferFixture.Region, "sts", time);
        return request;
    }
}
