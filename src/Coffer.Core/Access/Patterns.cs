namespace Coffer.Core.Access;

/// <summary>A compiled string pattern of a policy: an action, a condition value. Chooses the
/// cheapest test once (any, exact, prefix, wildcard) so that evaluation does not re-inspect it.</summary>
internal sealed class StringPattern
{
    private readonly Kind _kind;

    public StringPattern(string text, bool wildcards, bool variables)
    {
        Text = text;
        HasVariables = variables && PolicyVariables.Contains(text);
        if (!wildcards)
        {
            _kind = Kind.Exact;
        }
        else if (text == "*")
        {
            _kind = Kind.Any;
        }
        else if (text.IndexOf('*') == text.Length - 1 && text.IndexOf('?') < 0)
        {
            _kind = Kind.Prefix;
        }
        else
        {
            _kind = Wildcard.HasWildcards(text) ? Kind.Glob : Kind.Exact;
        }
    }

    private enum Kind
    {
        Any,
        Exact,
        Prefix,
        Glob,
    }

    public string Text { get; }

    public bool HasVariables { get; }

    public bool IsMatch(ReadOnlySpan<char> value, bool ignoreCase, RequestContext context)
    {
        var comparison = ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        if (HasVariables)
        {
            var resolved = PolicyVariables.Substitute(Text, context);
            if (resolved is null)
            {
                return false;
            }

            return _kind == Kind.Exact
                ? value.Equals(PolicyVariables.Unescape(resolved), comparison)
                : Wildcard.IsMatch(resolved, value, ignoreCase);
        }

        return _kind switch
        {
            Kind.Any => true,
            Kind.Exact => value.Equals(Text, comparison),
            Kind.Prefix => value.StartsWith(Text.AsSpan(0, Text.Length - 1), comparison),
            _ => Wildcard.IsMatch(Text, value, ignoreCase),
        };
    }

    public override string ToString() => Text;
}

/// <summary>
/// A compiled ARN pattern, as the Resource element and the Arn condition operators use it: each of
/// the six colon-separated fields is matched on its own (case-sensitively), so a <c>*</c> in the
/// region field cannot swallow the account; the last field (the resource) may hold colons.
/// </summary>
internal sealed class ArnPattern
{
    private readonly string[]? _fields;

    public ArnPattern(string text, bool variables)
    {
        Text = text;
        HasVariables = variables && PolicyVariables.Contains(text);
        IsAny = text == "*";
        if (!IsAny && !HasVariables)
        {
            _fields = Fields(text);
        }
    }

    public string Text { get; }

    public bool IsAny { get; }

    public bool HasVariables { get; }

    public bool IsMatch(string value, RequestContext context)
    {
        if (IsAny)
        {
            return true;
        }

        var pattern = Text;
        var fields = _fields;
        if (HasVariables)
        {
            var resolved = PolicyVariables.Substitute(Text, context);
            if (resolved is null)
            {
                return false;
            }

            pattern = resolved;
            fields = Fields(pattern);
        }

        if (fields is null)
        {
            return Wildcard.IsMatch(pattern, value, ignoreCase: false);
        }

        var rest = value.AsSpan();
        for (var i = 0; i < 5; i++)
        {
            var colon = rest.IndexOf(':');
            if (colon < 0 || !Wildcard.IsMatch(fields[i], rest[..colon], ignoreCase: false))
            {
                return false;
            }

            rest = rest[(colon + 1)..];
        }

        return Wildcard.IsMatch(fields[5], rest, ignoreCase: false);
    }

    /// <summary>The six fields of an ARN pattern, or null when it is not one (then it is matched whole).</summary>
    private static string[]? Fields(string text)
    {
        var parts = text.Split(':', 6);
        return parts.Length == 6 && parts[0] == "arn" ? parts : null;
    }

    public override string ToString() => Text;
}
