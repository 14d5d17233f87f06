using System.Text.RegularExpressions;
using Npgsql;

namespace Coffer.Storage.Postgres;

/// <summary>Where the database is: a <c>postgres://user:pass@host:port/db?option=value</c> URL (as
/// libpq and most tools write it) or an Npgsql connection string.</summary>
public static partial class PostgresLocation
{
    public static bool IsPostgres(string? location) =>
        location is not null && (location.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) || location.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase));

    /// <summary>The connection string for a URL; a connection string is returned as it is. Throws
    /// <see cref="ArgumentException"/> for a malformed URL, with a message that never repeats the password.</summary>
    public static string ToConnectionString(string location)
    {
        if (!IsPostgres(location))
        {
            return location;
        }

        if (!Uri.TryCreate(location, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
        {
            throw new ArgumentException("A PostgreSQL store is postgres://user:password@host:port/database.", nameof(location));
        }

        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host,
            Port = uri.IsDefaultPort || uri.Port < 0 ? 5432 : uri.Port,
            Database = uri.AbsolutePath.Trim('/') is { Length: > 0 } db ? Uri.UnescapeDataString(db) : "postgres",
            ApplicationName = "coffer",
            MaxAutoPrepare = 64,
            AutoPrepareMinUsages = 2,
        };
        var userInfo = uri.UserInfo.Split(':', 2);
        if (userInfo[0].Length > 0)
        {
            builder.Username = Uri.UnescapeDataString(userInfo[0]);
        }

        if (userInfo.Length == 2)
        {
            builder.Password = Uri.UnescapeDataString(userInfo[1]);
        }

        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var kv = pair.Split('=', 2);
            var key = Uri.UnescapeDataString(kv[0]);
            var value = kv.Length == 2 ? Uri.UnescapeDataString(kv[1]) : "";
            try
            {
                builder[key switch { "sslmode" => "SSL Mode", "connect_timeout" => "Timeout", _ => key }] = value;
            }
            catch (Exception e) when (e is ArgumentException or FormatException)
            {
                throw new ArgumentException($"Unknown or invalid PostgreSQL option '{key}'.", nameof(location), e);
            }
        }

        return builder.ConnectionString;
    }

    /// <summary>
    /// The location with its password replaced, for messages and printed settings. Done on the text,
    /// not on a parsed URI: a URL that does not parse (a port that is not a number, a password with an
    /// unescaped character) is exactly the one an error message shows, so everything between the scheme
    /// and the last <c>@</c> after the user name is hidden, and so is a <c>password=</c> option.
    /// </summary>
    public static string Redact(string location)
    {
        if (!IsPostgres(location))
        {
            return "(connection string)";
        }

        var start = location.IndexOf("://", StringComparison.Ordinal) + 3;
        var at = location.LastIndexOf('@');
        var text = location;
        if (at > start)
        {
            var colon = location.IndexOf(':', start, at - start);
            text = colon < 0 ? location : string.Concat(location.AsSpan(0, colon + 1), "(redacted)", location.AsSpan(at));
        }

        return PasswordOption().Replace(text, "${1}(redacted)");
    }

    [GeneratedRegex("([?&]password=)[^&#]*", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex PasswordOption();
}
