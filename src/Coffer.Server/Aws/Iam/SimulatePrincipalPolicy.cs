using Coffer.Core.Access;
using Coffer.Core.Identity;
using Coffer.Server.Aws.Protocol;

namespace Coffer.Server.Aws.Iam;

public sealed record ContextEntry(string? ContextKeyName, IReadOnlyList<string>? ContextKeyValues, string? ContextKeyType);

public sealed record SimulatePrincipalPolicyRequest(
    string PolicySourceArn,
    IReadOnlyList<string> ActionNames,
    IReadOnlyList<string>? ResourceArns,
    string? ResourcePolicy,
    IReadOnlyList<ContextEntry>? ContextEntries,
    IReadOnlyList<string>? PolicyInputList,
    IReadOnlyList<string>? PermissionsBoundaryPolicyInputList,
    string? Marker,
    int? MaxItems);

public sealed record Position(int Line, int Column);

public sealed record Statement(string SourcePolicyId, string SourcePolicyType, Position StartPosition, Position EndPosition);

public sealed record EvaluationResult(
    string EvalActionName,
    string EvalResourceName,
    string EvalDecision,
    IReadOnlyList<Statement> MatchedStatements,
    IReadOnlyList<string> MissingContextValues,
    IReadOnlyDictionary<string, string>? EvalDecisionDetails);

public sealed record SimulatePolicyResponse(IReadOnlyList<EvaluationResult> EvaluationResults, bool IsTruncated, string? Marker);

/// <summary>SimulatePrincipalPolicy: the real evaluator run for a user, group, role or session, with
/// the statements that decided. The resource's own policy (a key's or a secret's) is used when none is given.</summary>
public static class SimulatePrincipalPolicy
{
    public static JsonOperation Operation { get; } = JsonOperation.Create(
        "SimulatePrincipalPolicy", static () => IamJson.Default.SimulatePrincipalPolicyRequest, static () => IamJson.Default.SimulatePolicyResponse,
        async (s, call, r, ct) =>
        {
            if (r.PolicyInputList is { Count: > 0 } || r.PermissionsBoundaryPolicyInputList is { Count: > 0 })
            {
                throw IdentityErrors.InvalidInput("Coffer simulates the principal's own policies; PolicyInputList and PermissionsBoundaryPolicyInputList are not supported.");
            }

            var input = new SimulationInput(r.PolicySourceArn, r.ActionNames)
            {
                ResourceArns = r.ResourceArns,
                ResourcePolicy = r.ResourcePolicy,
                ContextKeys = r.ContextEntries?.Where(e => e.ContextKeyName is not null)
                    .ToDictionary(e => e.ContextKeyName!, e => e.ContextKeyValues ?? [], StringComparer.OrdinalIgnoreCase),
            };
            var results = (await s.Identity.SimulatePrincipalPolicyAsync(call, s.Simulator, input, ct)).Select(Result).ToList();
            var page = Core.Identity.IamPage<EvaluationResult>.Of(results, r.Marker, r.MaxItems);
            return new SimulatePolicyResponse(page.Items, page.IsTruncated, page.Marker);
        });

    private static EvaluationResult Result(SimulationResult result)
    {
        var d = result.Decision;
        var details = d.ResourceDecision is { } resource
            ? new Dictionary<string, string> { ["IAM Policy"] = Name(d.IdentityDecision), ["Resource Policy"] = Name(resource) }
            : null;
        return new EvaluationResult(result.ActionName, result.ResourceName, Name(d.Decision), [.. d.Matched.Select(Statement)], [], details);
    }

    private static Statement Statement(MatchedStatement m) => new(
        m.Source.Id,
        m.Source.Type switch
        {
            PolicySourceType.User => "user",
            PolicySourceType.Group => "group",
            PolicySourceType.Role => "role",
            PolicySourceType.AwsManaged => "aws-managed",
            PolicySourceType.UserManaged => "user-managed",
            PolicySourceType.Resource => "resource",
            _ => "none",
        },
        new Position(m.Statement.Start.Line, m.Statement.Start.Column),
        new Position(m.Statement.End.Line, m.Statement.End.Column));

    public static string Name(Decision decision) => decision switch
    {
        Decision.Allowed => "allowed",
        Decision.ExplicitDeny => "explicitDeny",
        _ => "implicitDeny",
    };
}
