using Coffer.Core;
using Coffer.Core.Secrets;

namespace Coffer.Core.Tests.Secrets;

/// <summary>Rotation windows from RotationRules, as AWS documents them (UTC, windows, limits).</summary>
public sealed class RotationScheduleTests
{
    private static readonly DateTimeOffset Monday = new(2030, 1, 7, 14, 20, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(null, "rate(10 days)", null, "2030-01-17T00:00:00Z", "2030-01-18T00:00:00Z")]
    [InlineData(3L, null, null, "2030-01-10T00:00:00Z", "2030-01-11T00:00:00Z")]
    [InlineData(null, "rate(1 day)", "3h", "2030-01-08T00:00:00Z", "2030-01-08T03:00:00Z")]
    [InlineData(null, "rate(4 hours)", null, "2030-01-07T16:00:00Z", "2030-01-07T17:00:00Z")]
    [InlineData(null, "rate(5 hours)", null, "2030-01-07T15:00:00Z", "2030-01-07T16:00:00Z")]
    [InlineData(null, "cron(0 16 1,15 * ? *)", null, "2030-01-15T16:00:00Z", "2030-01-16T00:00:00Z")]
    [InlineData(null, "cron(30 8 ? * 2 *)", "2h", "2030-01-14T08:30:00Z", "2030-01-14T10:30:00Z")]
    [InlineData(null, "cron(0 10 ? * 6#2 *)", null, "2030-01-11T10:00:00Z", "2030-01-12T00:00:00Z")]
    [InlineData(null, "cron(0 0/6 * * ? *)", null, "2030-01-07T18:00:00Z", "2030-01-07T19:00:00Z")]
    [InlineData(null, "cron(0 12 * * ? 2031)", null, "2031-01-01T12:00:00Z", "2031-01-02T00:00:00Z")]
    public void The_next_window_follows_the_rules(long? days, string? expression, string? duration, string start, string end)
    {
        var window = RotationSchedule.Parse(new RotationRules(days, duration, expression))!.NextWindow(Monday)!;

        Assert.Equal(DateTimeOffset.Parse(start, System.Globalization.CultureInfo.InvariantCulture), window.Start);
        Assert.Equal(DateTimeOffset.Parse(end, System.Globalization.CultureInfo.InvariantCulture), window.End);
    }

    [Theory]
    [InlineData(3L, "rate(3 days)", null)]
    [InlineData(null, "rate(3 hours)", null)]
    [InlineData(null, "rate(0 days)", null)]
    [InlineData(null, "every day", null)]
    [InlineData(null, "cron(0 * * * ? *)", null)]
    [InlineData(null, "cron(0 8 * * 1 *)", null)]
    [InlineData(null, "cron(0 8 * *)", null)]
    [InlineData(null, "cron(0 22 * * ? *)", "4h")]
    [InlineData(null, "rate(4 hours)", "5h")]
    [InlineData(null, "rate(10 days)", "25h")]
    [InlineData(null, null, "2h")]
    public void Bad_rules_are_InvalidParameterException(long? days, string? expression, string? duration)
    {
        var e = Assert.Throws<CofferException>(() => RotationSchedule.Parse(new RotationRules(days, duration, expression)));

        Assert.Equal("InvalidParameterException", e.Code);
    }

    [Fact]
    public void Schedules_of_whole_days_report_their_days()
    {
        Assert.Equal(10, RotationSchedule.Parse(new RotationRules(null, null, "rate(10 days)"))!.Days);
        Assert.Equal(2, RotationSchedule.Parse(new RotationRules(null, null, "rate(48 hours)"))!.Days);
        Assert.Null(RotationSchedule.Parse(new RotationRules(null, null, "cron(0 8 * * ? *)"))!.Days);
    }
}
