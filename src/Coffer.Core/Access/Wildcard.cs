namespace Coffer.Core.Access;

/// <summary>
/// IAM's wildcards: <c>*</c> matches any run of characters (also none), <c>?</c> exactly one.
/// The two private-use characters stand for a literal <c>*</c> and <c>?</c>, which policy
/// variables <c>${*}</c> and <c>${?}</c> produce.
/// </summary>
public static class Wildcard
{
    internal const char LiteralStar = '\uE000';
    internal const char LiteralQuestion = '\uE001';

    public static bool HasWildcards(ReadOnlySpan<char> pattern) => pattern.IndexOfAny('*', '?') >= 0;

    /// <summary>Matches without allocating; backtracks only to the last <c>*</c>, so the cost is linear in practice.</summary>
    public static bool IsMatch(ReadOnlySpan<char> pattern, ReadOnlySpan<char> value, bool ignoreCase)
    {
        int p = 0, v = 0, star = -1, mark = 0;
        while (v < value.Length)
        {
            if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                mark = v;
            }
            else if (p < pattern.Length && (pattern[p] == '?' || Same(pattern[p], value[v], ignoreCase)))
            {
                p++;
                v++;
            }
            else if (star >= 0)
            {
                p = star + 1;
                v = ++mark;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }

        return p == pattern.Length;
    }

    private static bool Same(char pattern, char value, bool ignoreCase)
    {
        if (pattern == LiteralStar)
        {
            return value == '*';
        }

        if (pattern == LiteralQuestion)
        {
            return value == '?';
        }

        return pattern == value || (ignoreCase && char.ToUpperInvariant(pattern) == char.ToUpperInvariant(value));
    }
}
