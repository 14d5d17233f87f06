using Coffer.Core.Aws;

namespace Coffer.Core.Parameters;

/// <summary>AWS's rules for parameter names, paths and selectors (<c>name:version</c>, <c>name:label</c>).</summary>
public static class ParameterNames
{
    public const int MaxDepth = 15;

    /// <summary>AWS's limit on a name counts the ARN before it: 1011 characters in all.</summary>
    private const int MaxArnLength = 1011;

    public static string Arn(string region, string account, string name) =>
        Aws.Arn.For("ssm", region, account, "parameter/" + name.TrimStart('/')).ToString();

    /// <summary>The path a parameter sits in, for one-level reads: <c>/app/prod</c> for <c>/app/prod/db</c>,
    /// <c>/</c> for <c>/db</c>, and the empty string for a name outside the hierarchy (<c>db</c>, which
    /// one-level reads of <c>/</c> also find: see <see cref="Spellings"/>).</summary>
    public static string Parent(string name)
    {
        if (!name.StartsWith('/'))
        {
            return "";
        }

        var slash = name.LastIndexOf('/');
        return slash == 0 ? "/" : name[..slash];
    }

    /// <summary>
    /// The spellings that name one parameter: a single-level name with and without its leading slash
    /// (<c>x</c> and <c>/x</c> share the ARN <c>parameter/x</c>, as in AWS), the given spelling first.
    /// A deeper name has one spelling. Issue 13.
    /// </summary>
    public static IReadOnlyList<string> Spellings(string name)
    {
        if (name.StartsWith('/'))
        {
            return name.IndexOf('/', 1) < 0 ? [name, name[1..]] : [name];
        }

        return name.Contains('/') ? [name] : [name, "/" + name];
    }

    /// <summary>Checks a name for creation: characters, form, reserved prefixes, depth and length.</summary>
    public static string ValidateForWrite(string name, string region, string account)
    {
        name = ValidateCharacters(name);
        var bare = name.TrimStart('/');
        if (bare.StartsWith("aws", StringComparison.OrdinalIgnoreCase) || bare.StartsWith("ssm", StringComparison.OrdinalIgnoreCase))
        {
            throw SsmErrors.Validation("Parameter name: can't be prefixed with \"aws\" or \"ssm\" (case-insensitive). If formed as a path, it can consist of sub-paths divided by slash symbol; each sub-path can be formed as a mix of letters, numbers and the following 3 symbols .-_");
        }

        if (Depth(name) > MaxDepth)
        {
            throw SsmErrors.HierarchyLevelLimitExceeded();
        }

        if (Arn(region, account, name).Length > MaxArnLength)
        {
            throw SsmErrors.Validation($"Parameter name is too long: with its ARN it may have at most {MaxArnLength} characters.");
        }

        return name;
    }

    /// <summary>Checks a name's characters and form (what any operation needs); trims surrounding spaces as AWS does.</summary>
    public static string ValidateCharacters(string name)
    {
        name = name.Trim(' ');
        var valid = name.Length > 0;
        foreach (var c in name)
        {
            valid &= char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-' or '/';
        }

        if (!valid)
        {
            throw SsmErrors.Validation("Parameter name: can't be prefixed with \"aws\" or \"ssm\" (case-insensitive). If formed as a path, it can consist of sub-paths divided by slash symbol; each sub-path can be formed as a mix of letters, numbers and the following 3 symbols .-_");
        }

        if (name.Contains('/') && (!name.StartsWith('/') || name.EndsWith('/') || name.Contains("//", StringComparison.Ordinal)))
        {
            throw SsmErrors.Validation("Parameter name must be a fully qualified name.");
        }

        return name;
    }

    /// <summary>Checks and normalizes a path (<c>/app/prod</c>; a trailing slash is dropped).</summary>
    public static string ValidatePath(string path)
    {
        path = path.Trim(' ');
        if (path == "/")
        {
            return path;
        }

        if (!path.StartsWith('/'))
        {
            throw SsmErrors.Validation("The parameter doesn't meet the parameter name requirements. The parameter name must begin with a forward slash \"/\".");
        }

        path = ValidateCharacters(path.TrimEnd('/'));
        if (Depth(path) > MaxDepth)
        {
            throw SsmErrors.HierarchyLevelLimitExceeded();
        }

        return path;
    }

    /// <summary>Whether <paramref name="name"/> lies under <paramref name="path"/> (at any depth).</summary>
    public static bool IsUnder(string name, string path) =>
        path == "/" || name.StartsWith(path + "/", StringComparison.Ordinal);

    /// <summary>Whether <paramref name="name"/> sits directly in <paramref name="path"/>; a name without a slash sits in <c>/</c>.</summary>
    public static bool IsDirectlyIn(string name, string path) =>
        Parent(name) == path || (path == "/" && Parent(name).Length == 0);

    public static int Depth(string name) => name.StartsWith('/') ? name.Count(c => c == '/') : 1;

    /// <summary>
    /// Splits what a reader names: a name or parameter ARN, optionally followed by <c>:version</c> or
    /// <c>:label</c>. A parameter ARN names the parameter in the caller's account and region only.
    /// Returns the candidate names (an ARN's resource does not say whether the name had a leading slash).
    /// </summary>
    public static ParameterReference ParseReference(string text, string region, string account)
    {
        var candidates = new List<string>(2);
        var rest = text.Trim(' ');
        if (rest.StartsWith("arn:", StringComparison.Ordinal))
        {
            if (!Aws.Arn.TryParse(rest, out var arn) || arn.Value.Service != "ssm" || !arn.Value.Resource.StartsWith("parameter/", StringComparison.Ordinal))
            {
                throw SsmErrors.Validation($"Invalid parameter ARN: {text}");
            }

            if (arn.Value.Account != account || arn.Value.Region != region)
            {
                // Shared parameters from other accounts do not exist here.
                return new ParameterReference(text, [], null, null);
            }

            rest = arn.Value.Resource["parameter/".Length..];
            if (!rest.Contains('/'))
            {
                candidates.Add(Selector(rest, out _, out _, out _));
            }

            rest = "/" + rest;
        }

        var name = ValidateCharacters(Selector(rest, out var selector, out var version, out var label));
        candidates.AddRange(Spellings(name));
        return new ParameterReference(candidates[0], [.. candidates.Distinct()], version, label) { Selector = selector };
    }

    private static string Selector(string text, out string? selector, out long? version, out string? label)
    {
        selector = null;
        version = null;
        label = null;
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            return text;
        }

        var sel = text[(colon + 1)..];
        if (sel.Length == 0 || sel.Contains(':'))
        {
            throw SsmErrors.Validation($"Invalid parameter selector in '{text}': use name:version or name:label.");
        }

        if (sel.All(char.IsAsciiDigit))
        {
            if (!long.TryParse(sel, System.Globalization.CultureInfo.InvariantCulture, out var v) || v < 1)
            {
                throw SsmErrors.Validation($"Invalid parameter version in '{text}': versions start at 1.");
            }

            version = v;
        }
        else
        {
            label = sel;
        }

        selector = ":" + sel;
        return text[..colon];
    }
}

/// <summary>A parsed reader's reference: which names it may mean and which version or label it selects.</summary>
public sealed record ParameterReference(string Name, IReadOnlyList<string> Candidates, long? Version, string? Label)
{
    /// <summary>The selector as AWS echoes it in <c>Parameter.Selector</c> (<c>:3</c>, <c>:prod</c>).</summary>
    public string? Selector { get; init; }
}
