using System.Globalization;
using System.Text;

namespace Coffer.Core.Parameters;

/// <summary>
/// NextToken values: opaque to callers (base64url), and checked when they come back, so a token
/// that Coffer did not hand out is <c>InvalidNextToken</c> rather than a wrong page.
/// A name token holds the last name of the page; a version token the last version number.
/// </summary>
public static class PageToken
{
    private const string NamePrefix = "ssm-name:";
    private const string VersionPrefix = "ssm-version:";

    public static string EncodeName(string lastName) => Encode(NamePrefix + lastName);

    /// <summary>The name to continue after, or null for the first page; the name must lie in <paramref name="scope"/>.</summary>
    public static string? DecodeName(string? token, ParameterScope scope)
    {
        if (token is null)
        {
            return null;
        }

        var text = Decode(token, NamePrefix);
        try
        {
            if (ParameterNames.ValidateCharacters(text) != text)
            {
                throw SsmErrors.InvalidNextToken();
            }
        }
        catch (CofferException)
        {
            throw SsmErrors.InvalidNextToken();
        }

        if (scope.Kind != ParameterScopeKind.All && !ParameterNames.IsUnder(text, scope.Path))
        {
            throw SsmErrors.InvalidNextToken();
        }

        return text;
    }

    public static string EncodeVersion(long version) => Encode(VersionPrefix + version.ToString(CultureInfo.InvariantCulture));

    public static long DecodeVersion(string? token)
    {
        if (token is null)
        {
            return 0;
        }

        return long.TryParse(Decode(token, VersionPrefix), NumberStyles.None, CultureInfo.InvariantCulture, out var version) && version > 0
            ? version
            : throw SsmErrors.InvalidNextToken();
    }

    private static string Encode(string text) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(text)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string Decode(string token, string prefix)
    {
        try
        {
            var base64 = token.Replace('-', '+').Replace('_', '/');
            base64 += new string('=', (4 - (base64.Length % 4)) % 4);
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(base64));
            return text.StartsWith(prefix, StringComparison.Ordinal) ? text[prefix.Length..] : throw SsmErrors.InvalidNextToken();
        }
        catch (FormatException)
        {
            throw SsmErrors.InvalidNextToken();
        }
    }
}
