using System.Text;

namespace Coffer.Core.Access;

/// <summary>
/// Policy variables (<c>${aws:username}</c>, <c>${aws:PrincipalTag/team}</c>, with an optional
/// default: <c>${aws:username, 'nobody'}</c>), replaced by the request's values when a Resource or
/// a string condition is matched; <c>${*}</c>, <c>${?}</c> and <c>${$}</c> stand for the literal
/// characters. Only policies of Version 2012-10-17 have them.
/// </summary>
internal static class PolicyVariables
{
    public static bool Contains(string text) => text.Contains("${", StringComparison.Ordinal);

    /// <summary>The text with each variable replaced, or null when a variable has no value and no default (the element then does not match).</summary>
    public static string? Substitute(string text, RequestContext context)
    {
        var sb = new StringBuilder(text.Length + 32);
        var i = 0;
        while (i < text.Length)
        {
            var start = text.IndexOf("${", i, StringComparison.Ordinal);
            var end = start < 0 ? -1 : text.IndexOf('}', start);
            if (end < 0)
            {
                sb.Append(text, i, text.Length - i);
                break;
            }

            sb.Append(text, i, start - i);
            var value = Resolve(text[(start + 2)..end], context);
            if (value is null)
            {
                return null;
            }

            sb.Append(value);
            i = end + 1;
        }

        return sb.ToString();
    }

    /// <summary>Turns the markers of <c>${*}</c> and <c>${?}</c> back into plain characters, for exact comparisons.</summary>
    public static string Unescape(string text) =>
        text.Replace(Wildcard.LiteralStar, '*').Replace(Wildcard.LiteralQuestion, '?');

    private static string? Resolve(string variable, RequestContext context)
    {
        switch (variable)
        {
            case "*":
                return Wildcard.LiteralStar.ToString();
            case "?":
                return Wildcard.LiteralQuestion.ToString();
            case "$":
                return "$";
        }

        string? fallback = null;
        var comma = variable.IndexOf(',', StringComparison.Ordinal);
        if (comma >= 0)
        {
            fallback = variable[(comma + 1)..].Trim().Trim('\'');
            variable = variable[..comma].Trim();
        }

        return context.TryGetValues(variable, out var values) && values.Count == 1 ? values[0] : fallback;
    }
}
