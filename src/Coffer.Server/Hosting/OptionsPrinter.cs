using System.Globalization;
using System.Reflection;
using System.Text;

namespace Coffer.Server.Hosting;

/// <summary>
/// Prints any options record as <c>kebab-name: value</c> lines. Which values are secret is read from
/// the <see cref="SensitiveAttribute"/> on each property, never from a list kept here, so a new
/// sensitive option is redacted the day it is added.
/// </summary>
public static class OptionsPrinter
{
    public const string Redacted = "(redacted)";
    public const string NotSet = "(not set)";

    public static string Describe<T>(T options)
        where T : notnull
    {
        var lines = Settable(typeof(T)).Select(p => $"{KebabName(p.Name)}: {Show(p, p.GetValue(options))}");
        return string.Join('\n', lines);
    }

    /// <summary>The public instance properties whose values are settings (text, numbers, flags,
    /// durations, lists of text); services such as a clock are not settings and are left out.</summary>
    public static IEnumerable<PropertyInfo> Settable(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanRead && p.GetIndexParameters().Length == 0 && IsSetting(p.PropertyType));

    public static bool IsSensitive(PropertyInfo property) => property.IsDefined(typeof(SensitiveAttribute), inherit: true);

    /// <summary>DevRootSecretAccessKey becomes dev-root-secret-access-key.</summary>
    public static string KebabName(string name)
    {
        var sb = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0)
            {
                sb.Append('-');
            }

            sb.Append(char.ToLowerInvariant(name[i]));
        }

        return sb.ToString();
    }

    internal static bool IsSetting(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type == typeof(string) || type == typeof(bool) || type == typeof(int) || type == typeof(long)
            || type == typeof(TimeSpan) || type.IsEnum || type == typeof(IReadOnlyList<string>);
    }

    private static string Show(PropertyInfo property, object? value)
    {
        if (value is null || value is IReadOnlyList<string> { Count: 0 })
        {
            return NotSet;
        }

        // Whether a secret is set is useful to know; its value never is.
        if (IsSensitive(property))
        {
            return Redacted;
        }

        return value switch
        {
            IReadOnlyList<string> list => string.Join(", ", list),
            bool b => b ? "true" : "false",
            TimeSpan t when t == Timeout.InfiniteTimeSpan => "off",
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString() ?? NotSet,
        };
    }
}
