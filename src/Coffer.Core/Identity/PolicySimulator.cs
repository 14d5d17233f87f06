using Coffer.Core.Access;
using Coffer.Core.Aws;
using Coffer.Core.Storage;

namespace Coffer.Core.Identity;

public sealed record SimulationInput(string PolicySourceArn, IReadOnlyList<string> ActionNames)
{
    public IReadOnlyList<string>? ResourceArns { get; init; }

    /// <summary>A resource policy to use; when null, the policy of each resource is looked up (a key's, a secret's).
    /// A resource that is found is evaluated by its full ARN (a secret's partial ARN completed), as real requests are.</summary>
    public string? ResourcePolicy { get; init; }

    public IReadOnlyDictionary<string, IReadOnlyList<string>>? ContextKeys { get; init; }
}

public sealed record SimulationResult(string ActionName, string ResourceName, AccessDecision Decision);

/// <summary>
/// SimulatePrincipalPolicy and <c>coffer access explain</c>: evaluates actions on resources as a
/// user, group, role or session would be evaluated, with the same evaluator as real requests, and
/// reports which statements decided.
/// </summary>
public sealed class PolicySimulator(ICofferStore store, PolicyAuthorizer authorizer, IdentityResolver resolver, IReadOnlyList<IResourcePolicyLocator> locators)
{
    public async Task<IReadOnlyList<SimulationResult>> SimulateAsync(Call call, SimulationInput input, CancellationToken ct)
    {
        var (principal, identity) = await ResolveAsync(call, input.PolicySourceArn, ct);
        var origin = call.Origin with { SourceIp = null, UserAgent = null };
        var results = new List<SimulationResult>();
        foreach (var action in input.ActionNames)
        {
            foreach (var resource in input.ResourceArns is { Count: > 0 } arns ? arns : ["*"])
            {
                var located = await LocateAsync(resource, ct);
                var request = new AccessRequest(action, located?.Arn ?? resource)
                {
                    ResourcePolicy = input.ResourcePolicy ?? located?.Policy,
                    ConditionKeys = input.ContextKeys,
                };
                results.Add(new SimulationResult(action, resource, await authorizer.EvaluateAsync(principal, origin, call.Region, request, explain: true, identity, cancellationToken: ct)));
            }
        }

        return results;
    }

    private async ValueTask<LocatedResource?> LocateAsync(string resource, CancellationToken ct)
    {
        foreach (var locator in locators)
        {
            if (await locator.LocateAsync(resource, ct) is { } found)
            {
                return found;
            }
        }

        return null;
    }

    /// <summary>The principal an ARN names and its identity policies: a user, group or role, a session (as its role), or the account root.</summary>
    private ValueTask<(Principal, ResolvedIdentity)> ResolveAsync(Call call, string sourceArn, CancellationToken ct)
    {
        if (!Arn.TryParse(sourceArn, out var parsed) || parsed.Value.Account != call.AccountId)
        {
            throw IdentityErrors.InvalidInput($"Invalid ARN: {sourceArn} is not a user, group, role or session of this account.");
        }

        var resource = parsed.Value.Resource;
        if (parsed.Value.Service == "iam" && resource == "root")
        {
            return new((new Principal(PrincipalType.Root, call.AccountId, sourceArn, call.AccountId, null), ResolvedIdentity.None));
        }

        if (parsed.Value.Service == "sts" && resource.StartsWith("assumed-role/", StringComparison.Ordinal) && resource.Split('/') is [_, var roleName, var sessionName])
        {
            return EntityAsync(call, IamEntityKind.Role, roleName, role => new Principal(PrincipalType.AssumedRole, call.AccountId, sourceArn, role.Id + ":" + sessionName, null) { Name = sessionName, RoleArn = role.Arn }, ct);
        }

        var kind = parsed.Value.Service != "iam" ? (IamEntityKind?)null
            : resource.StartsWith("user/", StringComparison.Ordinal) ? IamEntityKind.User
            : resource.StartsWith("group/", StringComparison.Ordinal) ? IamEntityKind.Group
            : resource.StartsWith("role/", StringComparison.Ordinal) ? IamEntityKind.Role
            : null;
        if (kind is null)
        {
            throw IdentityErrors.InvalidInput($"Invalid ARN: {sourceArn} is not a user, group, role or session of this account.");
        }

        return EntityAsync(call, kind.Value, IdentityResolver.NameOf(sourceArn), entity => entity.Kind switch
        {
            IamEntityKind.Role => new Principal(PrincipalType.AssumedRole, call.AccountId, $"arn:{parsed.Value.Partition}:sts::{call.AccountId}:assumed-role/{entity.Name}/simulation", entity.Id + ":simulation", null) { Name = "simulation", RoleArn = entity.Arn },
            _ => new Principal(PrincipalType.IamUser, call.AccountId, entity.Arn, entity.Id, null) { Name = entity.Name },
        }, ct);
    }

    private ValueTask<(Principal, ResolvedIdentity)> EntityAsync(Call call, IamEntityKind kind, string name, Func<IamEntity, Principal> principal, CancellationToken ct) =>
        store.ReadAsync(async (s, ct) => await s.Iam.FindAsync(call.AccountId, kind, name, ct) is { } entity
            ? (principal(entity), await resolver.OfAsync(s, entity, null, ct))
            : throw IdentityErrors.NoSuchEntity(kind, name), ct);
}
