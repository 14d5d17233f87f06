using Coffer.Server.Tests.Infrastructure;

namespace Coffer.Server.Tests.Identity;

/// <summary>STS sessions end: with Coffer's clock moved past the expiry, the session's requests are refused.</summary>
public sealed class SessionExpiryTests(FakeClockCofferFixture fixture) : IClassFixture<FakeClockCofferFixture>
{
    private readonly IamClient _iam = new(fixture);

    [Fact]
    public async Task An_expired_session_is_refused()
    {
        var roleArn = await _iam.CreateRoleAsync("expiring-" + Guid.NewGuid().ToString("N")[..8], IamClient.Trust($"{{\"AWS\":\"arn:aws:iam::{CofferFixture.AccountId}:root\"}}"));
        var assumed = await _iam.CallAsync("sts", "AssumeRole", ("RoleArn", roleArn), ("RoleSessionName", "short"), ("DurationSeconds", "900"));
        var session = new IamClient(fixture.Endpoint, () => DateTimeOffset.UtcNow, IamClient.Value(assumed, "AccessKeyId"), IamClient.Value(assumed, "SecretAccessKey"), IamClient.Value(assumed, "SessionToken"));
        Assert.Contains(":assumed-role/", IamClient.Value(await session.CallAsync("sts", "GetCallerIdentity"), "Arn"), StringComparison.Ordinal);

        fixture.Clock!.Advance(TimeSpan.FromSeconds(901));

        var expired = await Assert.ThrowsAsync<IamException>(() => session.CallAsync("sts", "GetCallerIdentity"));
        Assert.Equal("ExpiredToken", expired.Code);
        Assert.Equal("The security token included in the request is expired", expired.Message[(expired.Code.Length + 2)..]);
    }
}
