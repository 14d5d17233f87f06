namespace Coffer.Core.Access;

/// <summary>Where a policy comes from, as SimulatePrincipalPolicy names it (PolicySourceType).</summary>
public enum PolicySourceType
{
    User,
    Group,
    Role,
    AwsManaged,
    UserManaged,
    Resource,
    Session,
}

/// <summary>A compiled policy and where it comes from: its name or ARN and its kind.</summary>
public sealed record PolicySource(string Id, PolicySourceType Type, Policy Policy);

public enum Decision
{
    Allowed,
    ExplicitDeny,
    ImplicitDeny,
}

/// <summary>A statement that decided (or, for an implicit deny, matched without deciding).</summary>
public sealed record MatchedStatement(PolicySource Source, PolicyStatement Statement);

/// <summary>The outcome of an evaluation: the decision, AWS's reason for a denial, and, when asked
/// for, the statements that matched.</summary>
public sealed record AccessDecision(Decision Decision, string? Reason, Decision IdentityDecision, Decision? ResourceDecision)
{
    public IReadOnlyList<MatchedStatement> Matched { get; init; } = [];

    public bool IsAllowed => Decision == Decision.Allowed;

    /// <summary>AWS's AccessDenied wording: "User: ARN is not authorized to perform: ACTION on resource: ARN because ...".</summary>
    public static string Message(string principalArn, string action, string resource, string reason) =>
        $"User: {principalArn} is not authorized to perform: {action} on resource: {resource} {reason}";
}

/// <summary>What one evaluation looks at: the request and every policy that applies to it.</summary>
public sealed class EvaluationInput
{
    public required RequestContext Context { get; init; }

    /// <summary>The principal's identity policies: a user's own, attached and group policies; a role's.</summary>
    public IReadOnlyList<PolicySource> IdentityPolicies { get; init; } = [];

    /// <summary>The account root: every action in its own account is allowed by identity.</summary>
    public bool IdentityAllowsAll { get; init; }

    /// <summary>For an assumed-role session created with a session policy: it limits the session.</summary>
    public PolicySource? SessionPolicy { get; init; }

    public PolicySource? ResourcePolicy { get; init; }

    /// <summary>For KMS keys and role trust policies, whose resource policy must allow the caller,
    /// directly or by delegating to the caller's account, before identity policies count.</summary>
    public bool ResourcePolicyRequired { get; init; }
}

/// <summary>
/// IAM's evaluation logic (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html):
/// an explicit Deny in any policy wins; then, within one account, an Allow in an identity policy
/// (within the session policy, for a session) or in the resource policy suffices; across accounts
/// both must allow; for KMS keys and role trust policies the resource policy must allow the caller
/// itself, or its account together with the caller's identity policies. No Allow means denied.
/// </summary>
public static class PolicyEvaluator
{
    public static AccessDecision Evaluate(EvaluationInput input, bool explain = false)
    {
        var context = input.Context;
        var matched = explain ? new List<MatchedStatement>() : null;
        var denies = explain ? new List<MatchedStatement>() : null;

        var identityAllow = input.IdentityAllowsAll;
        var identityDeny = false;
        // Indexed loops: enumerating the IReadOnlyLists would box an enumerator per policy on every request.
        for (var i = 0; i < input.IdentityPolicies.Count; i++)
        {
            Scan(input.IdentityPolicies[i], context, matched, denies, ref identityAllow, ref identityDeny);
        }

        var sessionAllow = true;
        var sessionDeny = false;
        if (input.SessionPolicy is { } session)
        {
            sessionAllow = false;
            Scan(session, context, matched, denies, ref sessionAllow, ref sessionDeny);
        }

        var resourceDeny = false;
        var best = PrincipalMatch.None;
        if (input.ResourcePolicy is { } resource)
        {
            var statements = resource.Policy.Statements;
            for (var i = 0; i < statements.Count; i++)
            {
                var statement = statements[i];
                if (!statement.AppliesTo(context))
                {
                    continue;
                }

                var match = statement.MatchPrincipal(context);
                if (match == PrincipalMatch.None)
                {
                    continue;
                }

                if (!statement.IsAllow)
                {
                    resourceDeny = true;
                    denies?.Add(new MatchedStatement(resource, statement));
                }
                else
                {
                    best = match > best ? match : best;
                    matched?.Add(new MatchedStatement(resource, statement));
                }
            }
        }

        var action = context.Action;
        var identityDecision = identityDeny || sessionDeny ? Decision.ExplicitDeny : identityAllow && sessionAllow ? Decision.Allowed : Decision.ImplicitDeny;
        Decision? resourceDecision = input.ResourcePolicy is null ? null
            : resourceDeny ? Decision.ExplicitDeny
            : best != PrincipalMatch.None ? Decision.Allowed : Decision.ImplicitDeny;

        if (identityDeny || sessionDeny || resourceDeny)
        {
            var where = identityDeny ? "an identity-based policy" : sessionDeny ? "a session policy" : "a resource-based policy";
            return new AccessDecision(Decision.ExplicitDeny, "with an explicit deny in " + where, identityDecision, resourceDecision) { Matched = denies ?? [] };
        }

        var identityOk = identityAllow && sessionAllow;
        var resourceAlone = best == PrincipalMatch.Exact || (best == PrincipalMatch.Role && sessionAllow);
        var resourceAny = best != PrincipalMatch.None;
        var sameAccount = IsInAccount(context.Resource, context.Principal.AccountId);

        bool allowed;
        bool resourceFailed;
        if (input.ResourcePolicy is null)
        {
            allowed = sameAccount && identityOk && !input.ResourcePolicyRequired;
            resourceFailed = !sameAccount || input.ResourcePolicyRequired;
        }
        else if (sameAccount && !input.ResourcePolicyRequired)
        {
            allowed = identityOk || resourceAlone;
            resourceFailed = false;
        }
        else if (sameAccount)
        {
            allowed = resourceAlone || (resourceAny && identityOk);
            resourceFailed = !resourceAny;
        }
        else
        {
            allowed = identityOk && resourceAny;
            resourceFailed = !resourceAny;
        }

        if (allowed)
        {
            return new AccessDecision(Decision.Allowed, null, identityDecision, resourceDecision) { Matched = matched ?? [] };
        }

        var reason = resourceFailed ? $"because no resource-based policy allows the {action} action"
            : identityAllow && !sessionAllow ? $"because no session policy allows the {action} action"
            : $"because no identity-based policy allows the {action} action";
        return new AccessDecision(Decision.ImplicitDeny, reason, identityDecision, resourceDecision) { Matched = matched ?? [] };
    }

    private static void Scan(PolicySource source, RequestContext context, List<MatchedStatement>? matched, List<MatchedStatement>? denies, ref bool allow, ref bool deny)
    {
        var statements = source.Policy.Statements;
        for (var i = 0; i < statements.Count; i++)
        {
            var statement = statements[i];
            if (!statement.AppliesTo(context))
            {
                continue;
            }

            if (statement.IsAllow)
            {
                allow = true;
                matched?.Add(new MatchedStatement(source, statement));
            }
            else
            {
                deny = true;
                denies?.Add(new MatchedStatement(source, statement));
            }
        }
    }

    /// <summary>Whether a resource is in an account; a resource of "*" or without an account (IAM's global lists) is.</summary>
    internal static bool IsInAccount(string resource, string account)
    {
        if (resource == "*" || !resource.StartsWith("arn:", StringComparison.Ordinal))
        {
            return true;
        }

        var field = AccountOf(resource);
        return field.Length == 0 || field.SequenceEqual(account);
    }

    /// <summary>The fifth field of an ARN, without allocating.</summary>
    private static ReadOnlySpan<char> AccountOf(string arn)
    {
        var rest = arn.AsSpan();
        for (var i = 0; i < 4; i++)
        {
            var colon = rest.IndexOf(':');
            if (colon < 0)
            {
                return [];
            }

            rest = rest[(colon + 1)..];
        }

        var end = rest.IndexOf(':');
        return end < 0 ? [] : rest[..end];
    }
}
