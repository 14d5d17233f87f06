using System.Globalization;
using System.Text.RegularExpressions;
using Cronos;

namespace Coffer.Core.Secrets;

/// <summary>
/// A secret's rotation schedule from its RotationRules, in UTC as AWS's: <c>AutomaticallyAfterDays</c>,
/// <c>rate(N hours|days)</c> (windows start at midnight; at most every four hours) or
/// <c>cron(minutes hours day-of-month month day-of-week year)</c>, and the window each rotation has
/// (<c>Duration</c>, by default one hour for schedules in hours and the rest of the UTC day for
/// schedules in days), which must not reach into the next UTC day or the next window.
/// </summary>
public sealed partial class RotationSchedule
{
    private static readonly TimeSpan MinInterval = TimeSpan.FromHours(4);
    private readonly Func<DateTimeOffset, DateTimeOffset?> _nextStart;
    private readonly TimeSpan? _duration;
    private readonly bool _inDays;

    private RotationSchedule(Func<DateTimeOffset, DateTimeOffset?> nextStart, TimeSpan? duration, bool inDays, long? days)
    {
        _nextStart = nextStart;
        _duration = duration;
        _inDays = inDays;
        Days = days;
    }

    /// <summary>The number of days between rotations, for schedules that are a whole number of days (AutomaticallyAfterDays in answers).</summary>
    public long? Days { get; }

    /// <summary>Parses and checks the rules; null when they name no schedule.</summary>
    public static RotationSchedule? Parse(RotationRules? rules)
    {
        if (rules is null || (rules.AutomaticallyAfterDays is null && rules.ScheduleExpression is null))
        {
            return rules?.Duration is null ? null : throw Invalid("A Duration needs a schedule: set AutomaticallyAfterDays or ScheduleExpression in RotationRules.");
        }

        if (rules.AutomaticallyAfterDays is not null && rules.ScheduleExpression is not null)
        {
            throw Invalid("You can't specify both AutomaticallyAfterDays and ScheduleExpression in RotationRules.");
        }

        TimeSpan? duration = null;
        if (rules.Duration is { } text)
        {
            var hours = int.Parse(text.TrimEnd('h'), CultureInfo.InvariantCulture);
            duration = hours is >= 1 and <= 24 ? TimeSpan.FromHours(hours) : throw Invalid($"Invalid Duration {text}: the rotation window must be from 1h to 24h.");
        }

        var schedule = rules.AutomaticallyAfterDays is { } n ? Rate(n, days: true, duration) : ParseExpression(rules.ScheduleExpression!.Trim(), duration);
        schedule.CheckWindows();
        return schedule;
    }

    /// <summary>The first window that starts after <paramref name="after"/>; null if the schedule has no more.</summary>
    public RotationWindow? NextWindow(DateTimeOffset after) => _nextStart(after) is { } start ? new RotationWindow(start, End(start)) : null;

    private DateTimeOffset End(DateTimeOffset start) =>
        start + (_duration ?? (_inDays ? start.UtcDateTime.Date.AddDays(1) - start.UtcDateTime : TimeSpan.FromHours(1)));

    private static RotationSchedule ParseExpression(string expression, TimeSpan? duration)
    {
        if (RateExpression().Match(expression) is { Success: true } rate)
        {
            var n = long.Parse(rate.Groups[1].Value, CultureInfo.InvariantCulture);
            return Rate(n, rate.Groups[2].Value.StartsWith("day", StringComparison.Ordinal), duration);
        }

        if (CronExpressionText().Match(expression) is { Success: true } cron)
        {
            return Cron(cron.Groups[1].Value, duration);
        }

        throw Invalid($"Invalid ScheduleExpression {expression}: use rate(N hours), rate(N days) or cron(minutes hours day-of-month month day-of-week year).");
    }

    private static RotationSchedule Rate(long n, bool days, TimeSpan? duration)
    {
        if (days)
        {
            return n is >= 1 and <= 1000
                ? new RotationSchedule(after => Midnight(after).AddDays(n), duration, inDays: true, n)
                : throw Invalid("A rate in days must be from 1 to 1000 days.");
        }

        if (n < MinInterval.TotalHours || n > 24 * 1000)
        {
            throw Invalid("A secret can be rotated at most every four hours: a rate in hours must be at least rate(4 hours).");
        }

        // Windows start at midnight UTC and every n hours after it, each day.
        return new RotationSchedule(
            after =>
            {
                var midnight = Midnight(after);
                var k = (long)Math.Floor((after - midnight).TotalHours / n) + 1;
                var start = midnight.AddHours(k * n);
                return start >= midnight.AddDays(1) ? midnight.AddDays(1) : start;
            },
            duration,
            inDays: false,
            n % 24 == 0 ? n / 24 : null);
    }

    private static RotationSchedule Cron(string fields, TimeSpan? duration)
    {
        var parts = fields.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 6)
        {
            throw Invalid($"Invalid cron expression cron({fields}): it needs six fields, minutes hours day-of-month month day-of-week year.");
        }

        if ((parts[2] == "?") == (parts[4] == "?"))
        {
            throw Invalid($"Invalid cron expression cron({fields}): use ? in exactly one of day-of-month and day-of-week.");
        }

        CronExpression expression;
        try
        {
            expression = CronExpression.Parse(string.Join(' ', parts[0], parts[1], parts[2], parts[3], AwsDayOfWeek(parts[4])));
        }
        catch (CronFormatException e)
        {
            throw Invalid($"Invalid cron expression cron({fields}): {e.Message}");
        }

        var years = Years(parts[5], fields);
        return new RotationSchedule(
            after =>
            {
                var next = expression.GetNextOccurrence(after.UtcDateTime, TimeZoneInfo.Utc);
                while (next is { } n && !years(n.Year))
                {
                    // Skip to the first occurrence of the next year.
                    next = n.Year >= 2199 ? null : expression.GetNextOccurrence(new DateTime(n.Year + 1, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddTicks(-1), TimeZoneInfo.Utc);
                }

                return next is null ? null : new DateTimeOffset(next.Value, TimeSpan.Zero);
            },
            duration,
            inDays: int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out _),
            null);
    }

    /// <summary>AWS numbers days of the week 1 (SUN) to 7 (SAT); cron's usual numbering is 0 to 6.</summary>
    private static string AwsDayOfWeek(string field) =>
        DayNumber().Replace(field, m => (int.Parse(m.Value, CultureInfo.InvariantCulture) - 1).ToString(CultureInfo.InvariantCulture));

    private static Func<int, bool> Years(string field, string fields)
    {
        if (field == "*")
        {
            return _ => true;
        }

        var ranges = new List<(int From, int To)>();
        foreach (var part in field.Split(','))
        {
            var bounds = part.Split('-');
            if (bounds.Length is < 1 or > 2 || !bounds.All(b => int.TryParse(b, NumberStyles.None, CultureInfo.InvariantCulture, out var y) && y is >= 1970 and <= 2199))
            {
                throw Invalid($"Invalid cron expression cron({fields}): the year field must be *, a year from 1970 to 2199, a range or a list of them.");
            }

            var from = int.Parse(bounds[0], CultureInfo.InvariantCulture);
            ranges.Add((from, bounds.Length == 2 ? int.Parse(bounds[1], CultureInfo.InvariantCulture) : from));
        }

        return year => ranges.Any(r => year >= r.From && year <= r.To);
    }

    /// <summary>Checks the first windows from a fixed day: none may reach into the next UTC day or the next window,
    /// and windows must start at least four hours apart.</summary>
    private void CheckWindows()
    {
        var at = new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);
        for (var i = 0; i < 48 && NextWindow(at) is { } window; i++)
        {
            var next = _nextStart(window.Start);
            if (next is not null && next.Value - window.Start < MinInterval)
            {
                throw Invalid("A secret can be rotated at most every four hours; this schedule has windows closer together.");
            }

            if (window.End > Midnight(window.Start).AddDays(1) || (next is not null && window.End > next.Value))
            {
                throw Invalid("The rotation window can't extend into the next UTC day or into the next rotation window; shorten the Duration.");
            }

            at = window.Start;
        }
    }

    private static DateTimeOffset Midnight(DateTimeOffset t) => new(t.UtcDateTime.Date, TimeSpan.Zero);

    private static CofferException Invalid(string message) => SecretsErrors.InvalidParameter(message);

    [GeneratedRegex(@"^rate\((\d{1,6}) (hours?|days?)\)$")]
    private static partial Regex RateExpression();

    [GeneratedRegex(@"^cron\((.+)\)$")]
    private static partial Regex CronExpressionText();

    [GeneratedRegex(@"(?<![#/\d])\d+")]
    private static partial Regex DayNumber();
}
