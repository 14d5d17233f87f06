using System.Globalization;
using System.Text.Json;
using Coffer.Server.Tests.Infrastructure;

namespace Coffer.Server.Tests.Secrets;

/// <summary>
/// A PostgreSQL password rotated on its schedule, with a fake clock: the schedule is set through the
/// AWS CLI for a window that opens in a few minutes, the clock is moved into it, and the scheduler's
/// work is run directly (SigV4's skew stays on the wall clock, so the CLI keeps working).
/// </summary>
public sealed class ScheduledRotationTests(FakeClockCofferFixture fixture, PostgresServer postgres) : IClassFixture<FakeClockCofferFixture>, IClassFixture<PostgresServer>
{
    [Fact]
    public async Task A_password_rotates_on_its_cron_schedule_inside_its_window()
    {
        await postgres.ExecuteAsSuperuserAsync("CREATE ROLE carol LOGIN PASSWORD 'carol-initial-pw'");
        await SecretsKit.AwsAsync(fixture, "create-secret", "--name", "db/carol", "--secret-string", postgres.SecretJson("carol", "carol-initial-pw"));
        var window = WindowSoon(fixture);
        await SecretsKit.AwsAsync(fixture, "rotate-secret", "--secret-id", "db/carol", "--rotation-lambda-arn", SecretsKit.SingleUser,
            "--rotation-rules", $"{{\"ScheduleExpression\": \"cron({window.Minute} {window.Hour} * * ? *)\"}}", "--no-rotate-immediately");
        await fixture.Server.Services.Secrets.WhenIdleAsync();

        // A cron schedule in days: the window runs to the end of the UTC day, and AWS names its last second.
        Assert.Equal(window.UtcDateTime.Date.AddDays(1).AddSeconds(-1), await NextRotationDateAsync());
        await fixture.Server.Services.RunDueWorkAsync(CancellationToken.None);
        Assert.Equal("carol-initial-pw", Password(await SecretsKit.SecretStringAsync(fixture, "db/carol")));

        IntoWindow(fixture, window);
        Assert.True(await fixture.Server.Services.RunDueWorkAsync(CancellationToken.None) >= 1);

        var rotated = Password(await SecretsKit.SecretStringAsync(fixture, "db/carol"));
        Assert.NotEqual("carol-initial-pw", rotated);
        Assert.True(await postgres.CanLogInAsync("carol", rotated));
        Assert.False(await postgres.CanLogInAsync("carol", "carol-initial-pw"));
        Assert.Equal(window.UtcDateTime.Date.AddDays(2).AddSeconds(-1), await NextRotationDateAsync());
        var lastRotated = DateTime.Parse(await SecretsKit.AwsAsync(fixture, "describe-secret", "--secret-id", "db/carol", "--query", "LastRotatedDate", "--output", "text"), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal);
        Assert.True((fixture.Clock!.GetUtcNow().UtcDateTime - lastRotated).Duration() < TimeSpan.FromMinutes(1));
    }

    /// <summary>The start of a daily cron window that opens within three minutes (at a whole minute).</summary>
    internal static DateTimeOffset WindowSoon(FakeClockCofferFixture fixture)
    {
        var t = fixture.Clock!.GetUtcNow().AddMinutes(3);
        return new DateTimeOffset(t.Year, t.Month, t.Day, t.Hour, t.Minute, 0, TimeSpan.Zero);
    }

    /// <summary>Moves the clock half a minute into the window: inside it even when it is the day's last minute.</summary>
    internal static void IntoWindow(FakeClockCofferFixture fixture, DateTimeOffset window) =>
        fixture.Clock!.Advance(window.AddSeconds(30) - fixture.Clock.GetUtcNow());

    private async Task<DateTime> NextRotationDateAsync() =>
        DateTime.Parse(await SecretsKit.AwsAsync(fixture, "describe-secret", "--secret-id", "db/carol", "--query", "NextRotationDate", "--output", "text"), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal);

    internal static string Password(string secretJson)
    {
        using var doc = JsonDocument.Parse(secretJson);
        return doc.RootElement.GetProperty("password").GetString()!;
    }
}

/// <summary>A scheduled rotation that fails (the database is down) leaves everything as it was, and the
/// next window retries it with the same token.</summary>
public sealed class ScheduledRotationRetryTests(FakeClockCofferFixture fixture, PostgresServer postgres) : IClassFixture<FakeClockCofferFixture>, IClassFixture<PostgresServer>
{
    [Fact]
    public async Task A_failed_scheduled_rotation_changes_nothing_and_is_retried_with_the_same_token_at_the_next_window()
    {
        await postgres.ExecuteAsSuperuserAsync("CREATE ROLE dave LOGIN PASSWORD 'dave-initial-pw'");
        var arn = await SecretsKit.AwsAsync(fixture, "create-secret", "--name", "db/dave", "--secret-string", postgres.SecretJson("dave", "dave-initial-pw"), "--query", "ARN", "--output", "text");
        var window = ScheduledRotationTests.WindowSoon(fixture);
        await SecretsKit.AwsAsync(fixture, "rotate-secret", "--secret-id", "db/dave", "--rotation-lambda-arn", SecretsKit.SingleUser,
            "--rotation-rules", $"{{\"ScheduleExpression\": \"cron({window.Minute} {window.Hour} * * ? *)\"}}", "--no-rotate-immediately");
        await fixture.Server.Services.Secrets.WhenIdleAsync();

        await postgres.StopAsync();
        ScheduledRotationTests.IntoWindow(fixture, window);
        await fixture.Server.Services.RunDueWorkAsync(CancellationToken.None);

        Assert.Equal("dave-initial-pw", ScheduledRotationTests.Password(await SecretsKit.SecretStringAsync(fixture, "db/dave")));
        var failed = (await SecretsKit.RotationRecordsAsync(fixture, arn)).Last(r => r.GetProperty("eventName").GetString() == "RotationFailed");
        Assert.StartsWith("setSecret failed: Unable to log into the database", failed.GetProperty("errorMessage").GetString(), StringComparison.Ordinal);
        await SecretsKit.AwsFailsAsync(fixture, "InvalidRequestException", "rotate-secret", "--secret-id", "db/dave");
        var token = (await fixture.Server.Services.Store.ReadAsync((s, ct) => s.Secrets.FindAsync(arn, ct)))!.PendingRotation!.VersionId;

        // The database is back; the next window (tomorrow) retries the same rotation.
        await postgres.StartAsync();
        fixture.Clock!.Advance(TimeSpan.FromDays(1));
        await fixture.Server.Services.RunDueWorkAsync(CancellationToken.None);

        Assert.Equal(token, await SecretsKit.AwsAsync(fixture, "get-secret-value", "--secret-id", "db/dave", "--query", "VersionId", "--output", "text"));
        var password = ScheduledRotationTests.Password(await SecretsKit.SecretStringAsync(fixture, "db/dave"));
        Assert.True(await postgres.CanLogInAsync("dave", password));
        Assert.False(await postgres.CanLogInAsync("dave", "dave-initial-pw"));
        Assert.Equal("RotationSucceeded", (await SecretsKit.RotationRecordsAsync(fixture, arn))[^1].GetProperty("eventName").GetString());
    }
}
