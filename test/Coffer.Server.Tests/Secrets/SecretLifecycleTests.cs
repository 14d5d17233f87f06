using Coffer.Core.Secrets;
using Coffer.Server.Tests.Infrastructure;

namespace Coffer.Server.Tests.Secrets;

/// <summary>A secret scheduled for deletion is purged, versions and all, when its recovery window
/// ends, on the scheduler; with a fake clock.</summary>
public sealed class SecretDeletionWindowTests(FakeClockCofferFixture fixture) : IClassFixture<FakeClockCofferFixture>
{
    [Fact]
    public async Task A_deleted_secret_is_purged_when_its_recovery_window_ends()
    {
        var arn = await SecretsKit.AwsAsync(fixture, "create-secret", "--name", "doomed", "--secret-string", "v", "--query", "ARN", "--output", "text");
        var version = await SecretsKit.AwsAsync(fixture, "list-secret-version-ids", "--secret-id", "doomed", "--query", "Versions[0].VersionId", "--output", "text");
        await SecretsKit.AwsAsync(fixture, "delete-secret", "--secret-id", "doomed", "--recovery-window-in-days", "7");

        fixture.Clock!.Advance(TimeSpan.FromDays(7) - TimeSpan.FromMinutes(1));
        await fixture.Server.Services.RunDueWorkAsync(CancellationToken.None);
        await SecretsKit.AwsFailsAsync(fixture, "InvalidRequestException", "get-secret-value", "--secret-id", "doomed");

        fixture.Clock.Advance(TimeSpan.FromMinutes(2));
        await fixture.Server.Services.RunDueWorkAsync(CancellationToken.None);
        await SecretsKit.AwsFailsAsync(fixture, "ResourceNotFoundException", "describe-secret", "--secret-id", "doomed");
        Assert.Null(await fixture.Server.Services.Store.ReadAsync((s, ct) => s.Secrets.FindValueAsync(arn, version, ct)));
        Assert.Contains((await SecretsKit.AuditRecordsAsync(fixture)), r => r.GetProperty("eventName").GetString() == "DeleteSecret" && r.GetProperty("userIdentity").GetProperty("type").GetString() == "AWSService");
    }
}

/// <summary>Versions without labels are pruned as AWS prunes them: beyond 100, once 24 hours old.</summary>
public sealed class SecretVersionPruningTests(FakeClockCofferFixture fixture) : IClassFixture<FakeClockCofferFixture>
{
    [Fact]
    public async Task Deprecated_versions_beyond_100_are_pruned_once_24_hours_old_and_until_then_a_new_one_is_refused()
    {
        var secrets = fixture.Server.Services.Secrets;
        var first = await secrets.CreateSecretAsync(SecretsKit.RootCall(fixture), new CreateSecretInput { Name = "busy", Value = SecretValue.FromString("v0") }, CancellationToken.None);
        for (var i = 1; i < SecretService.MaxVersions; i++)
        {
            await secrets.PutSecretValueAsync(SecretsKit.RootCall(fixture), "busy", null, SecretValue.FromString("v" + i), null, CancellationToken.None);
        }

        var refused = await Assert.ThrowsAsync<Core.CofferException>(() => secrets.PutSecretValueAsync(SecretsKit.RootCall(fixture), "busy", null, SecretValue.FromString("one too many"), null, CancellationToken.None));
        Assert.Equal("LimitExceededException", refused.Code);

        fixture.Clock!.Advance(TimeSpan.FromHours(25));
        await secrets.PutSecretValueAsync(SecretsKit.RootCall(fixture), "busy", null, SecretValue.FromString("after a day"), null, CancellationToken.None);
        var secret = await secrets.DescribeSecretAsync(SecretsKit.RootCall(fixture), "busy", CancellationToken.None);
        Assert.Equal(SecretService.MaxVersions, secret.Versions.Count);
        Assert.Null(secret.FindVersion(first.VersionId!));
        Assert.Equal("after a day", (await secrets.GetSecretValueAsync(SecretsKit.RootCall(fixture), "busy", null, null, CancellationToken.None)).Value.Text);
        Assert.Equal("v99", (await secrets.GetSecretValueAsync(SecretsKit.RootCall(fixture), "busy", null, "AWSPREVIOUS", CancellationToken.None)).Value.Text);
    }
}
