namespace Coffer.Core.Access;

/// <summary>Which rules a policy document must follow where it is written.</summary>
public enum PolicyKind
{
    /// <summary>No element required or refused beyond the grammar: how stored documents are compiled for evaluation.</summary>
    Any,

    /// <summary>An identity or session policy: Resource required, Principal refused.</summary>
    Identity,

    /// <summary>A resource policy (key policy, secret policy): Principal and Resource required.</summary>
    Resource,

    /// <summary>A role's trust policy: Principal required, Resource refused.</summary>
    Trust,
}

/// <summary>Where a statement starts or ends in its document, 1-based, as SimulatePrincipalPolicy reports it.</summary>
public readonly record struct PolicyPosition(int Line, int Column);

/// <summary>A policy document compiled once: statements with their patterns and conditions ready to
/// match. Evaluation never looks at the JSON again.</summary>
public sealed class Policy
{
    internal Policy(string? id, string version, IReadOnlyList<PolicyStatement> statements)
    {
        Id = id;
        Version = version;
        Statements = statements;
    }

    public string? Id { get; }

    public string Version { get; }

    public IReadOnlyList<PolicyStatement> Statements { get; }
}

/// <summary>One statement of a compiled policy.</summary>
public sealed class PolicyStatement
{
    internal PolicyStatement(int number, string? sid, bool isAllow)
    {
        Number = number;
        Sid = sid;
        IsAllow = isAllow;
    }

    /// <summary>1-based, in document order.</summary>
    public int Number { get; }

    public string? Sid { get; }

    public bool IsAllow { get; }

    public PolicyPosition Start { get; internal set; }

    public PolicyPosition End { get; internal set; }

    internal StringPattern[] Actions { get; init; } = [];

    internal bool NotAction { get; init; }

    /// <summary>Null when the statement has no Resource element (trust policies).</summary>
    internal ArnPattern[]? Resources { get; init; }

    internal bool NotResource { get; init; }

    /// <summary>Null when the statement has no Principal element (identity policies).</summary>
    internal PrincipalSet? Principals { get; init; }

    internal bool NotPrincipal { get; init; }

    internal Condition[] Conditions { get; init; } = [];

    /// <summary>Whether the statement covers the request's action and resource and its conditions hold; the principal is matched apart.</summary>
    internal bool AppliesTo(RequestContext context)
    {
        if (MatchesAny(Actions, context.Action, context) == NotAction)
        {
            return false;
        }

        if (Resources is not null && MatchesAny(Resources, context.Resource, context) == NotResource)
        {
            return false;
        }

        foreach (var condition in Conditions)
        {
            if (!condition.Holds(context))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>How the statement's Principal (or NotPrincipal) names the caller.</summary>
    internal PrincipalMatch MatchPrincipal(RequestContext context)
    {
        if (Principals is null)
        {
            return PrincipalMatch.Exact;
        }

        var match = Principals.Match(context.Principal);
        if (!NotPrincipal)
        {
            return match;
        }

        return match == PrincipalMatch.None ? PrincipalMatch.Exact : PrincipalMatch.None;
    }

    private static bool MatchesAny(StringPattern[] actions, string action, RequestContext context)
    {
        foreach (var pattern in actions)
        {
            if (pattern.IsMatch(action, ignoreCase: true, context))
            {
                return true;
            }
        }

        return false;
    }

    private static bool MatchesAny(ArnPattern[] resources, string resource, RequestContext context)
    {
        foreach (var pattern in resources)
        {
            if (pattern.IsMatch(resource, context))
            {
                return true;
            }
        }

        return false;
    }

    public override string ToString() => Sid is null ? $"Statement {Number}" : $"Statement {Number} (Sid \"{Sid}\")";
}
