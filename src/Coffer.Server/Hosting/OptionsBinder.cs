using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Coffer.Server.Hosting;

/// <summary>One source of settings (a file, the environment, the command line): each value with the
/// place it came from, for error messages. A strict layer may not name a setting that does not exist.</summary>
public sealed record SettingsLayer(string Name, bool Strict, IReadOnlyList<SettingsLayer.Entry> Entries)
{
    public sealed record Entry(string Key, string Value, string Source);

    /// <summary>A layer read through Microsoft.Extensions.Configuration (JSON file, environment).
    /// Array items (<c>tls-san:0</c>, <c>tls-san:1</c>) become one comma-separated value.</summary>
    public static SettingsLayer From(string name, IConfiguration configuration, bool strict, Func<string, string> sourceOf)
    {
        var entries = configuration.AsEnumerable()
            .Where(kv => !string.IsNullOrEmpty(kv.Value))
            .GroupBy(kv => kv.Key.Split(':')[0], StringComparer.OrdinalIgnoreCase)
            .Select(g => new Entry(g.Key, string.Join(',', g.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => kv.Value)), sourceOf(g.Key)))
            .ToList();
        return new SettingsLayer(name, strict, entries);
    }
}

/// <summary>
/// Binds an options record from layers of settings, later layers winning. Names match whatever their
/// spelling: <c>data-dir</c>, <c>dataDir</c>, <c>DATA_DIR</c> and <c>DataDir</c> are one setting.
/// A value that cannot be read is reported with its name and source, never thrown.
/// </summary>
public static class OptionsBinder
{
    public static T Bind<T>(IEnumerable<SettingsLayer> layers, ICollection<string> errors)
        where T : new()
    {
        var properties = OptionsPrinter.Settable(typeof(T)).Where(p => p.CanWrite).ToDictionary(p => Normalize(p.Name), StringComparer.Ordinal);
        var merged = new Dictionary<string, SettingsLayer.Entry>(StringComparer.Ordinal);
        foreach (var layer in layers)
        {
            foreach (var entry in layer.Entries)
            {
                var key = Normalize(entry.Key);
                if (properties.ContainsKey(key))
                {
                    merged[key] = entry;
                }
                else if (layer.Strict)
                {
                    errors.Add($"unknown setting '{entry.Key}' in {entry.Source}");
                }
            }
        }

        var options = new T();
        foreach (var (key, entry) in merged)
        {
            var property = properties[key];
            if (TryConvert(property.PropertyType, entry.Value.Trim(), out var value))
            {
                property.SetValue(options, value);
            }
            else
            {
                // A sensitive value is not echoed back, even when malformed.
                var shown = OptionsPrinter.IsSensitive(property) ? OptionsPrinter.Redacted : $"'{entry.Value}'";
                errors.Add($"{OptionsPrinter.KebabName(property.Name)} must be {Expected(property.PropertyType)}, got {shown} (from {entry.Source})");
            }
        }

        return options;
    }

    /// <summary>Lower case, without '-', '_' and spaces.</summary>
    public static string Normalize(string key) =>
        new(key.Where(c => c is not ('-' or '_' or ' ')).Select(char.ToLowerInvariant).ToArray());

    private static bool TryConvert(Type type, string text, out object? value)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        value = null;
        if (type == typeof(string))
        {
            value = text;
        }
        else if (type == typeof(bool))
        {
            value = text.ToLowerInvariant() switch { "true" or "1" or "yes" => true, "false" or "0" or "no" => false, _ => null };
        }
        else if (type == typeof(int) && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i))
        {
            value = i;
        }
        else if (type == typeof(long) && long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l))
        {
            value = l;
        }
        else if (type == typeof(TimeSpan))
        {
            value = ParseDuration(text);
        }
        else if (type.IsEnum && Enum.TryParse(type, text.Replace("-", "", StringComparison.Ordinal), ignoreCase: true, out var e))
        {
            value = e;
        }
        else if (type == typeof(IReadOnlyList<string>))
        {
            value = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        }

        return value is not null;
    }

    /// <summary>Seconds ("30"), a .NET time span ("00:00:30"), or "off".</summary>
    private static object? ParseDuration(string text)
    {
        if (text.Equals("off", StringComparison.OrdinalIgnoreCase))
        {
            return Timeout.InfiniteTimeSpan;
        }

        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds))
        {
            return TimeSpan.FromSeconds(seconds);
        }

        return text.Contains(':', StringComparison.Ordinal) && TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var span) ? span : null;
    }

    private static string Expected(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type == typeof(bool) ? "true or false"
            : type == typeof(int) || type == typeof(long) ? "a whole number"
            : type == typeof(TimeSpan) ? "a number of seconds, hh:mm:ss or off"
            : type.IsEnum ? "one of " + string.Join(", ", Enum.GetNames(type).Select(OptionsPrinter.KebabName))
            : "text";
    }
}
