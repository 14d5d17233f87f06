using Coffer.Core.Identity;
using Coffer.Core.Storage;

namespace Coffer.Core.Access;

/// <summary>A principal's identity policies and tags, as the authorizer needs them.</summary>
public sealed record ResolvedIdentity(IReadOnlyList<PolicySource> Policies, IReadOnlyDictionary<string, string>? Tags, PolicySource? SessionPolicy)
{
    public static ResolvedIdentity None { get; } = new([], null, null);
}

/// <summary>A resource a locator found: its ARN as real requests are authorized with it (a partial ARN
/// completed), and its resource policy, if it has one.</summary>
public sealed record LocatedResource(string Arn, string? Policy);

/// <summary>Finds a resource and its policy by the resource's ARN (a key and its key policy, a secret and its
/// resource policy), for simulations that name only the resource.</summary>
public interface IResourcePolicyLocator
{
    /// <summary>The resource the ARN names, or null when this locator does not know it.</summary>
    ValueTask<LocatedResource?> LocateAsync(string resourceArn, CancellationToken cancellationToken);
}

/// <summary>Finds a principal's identity policies, from a cache that every IAM change invalidates.</summary>
public interface IIdentityResolver
{
    /// <summary>The principal's policies, awaiting the store on a miss (a cached identity completes at once);
    /// a load inside a write reads through its session, <paramref name="within"/>.</summary>
    ValueTask<ResolvedIdentity> ResolveAsync(Principal principal, IStoreSession? within = null, CancellationToken cancellationToken = default);
}

/// <summary>
/// The authorizer of every call: IAM policy evaluation over the caller's identity policies (and
/// session policy) and the resource's policy. Resource policies are compiled once per distinct
/// text; identity policies come compiled from the resolver's cache, so a request parses no JSON.
/// </summary>
public sealed class PolicyAuthorizer(IIdentityResolver identities, PolicyCache policies) : IAuthorizer
{
    public async ValueTask AuthorizeAsync(Call call, AccessRequest request, IStoreSession? within = null, CancellationToken cancellationToken = default)
    {
        if (IsService(call, request))
        {
            return;
        }

        var decision = await EvaluateAsync(call.Principal, call.Origin, call.Region, request, within: within, cancellationToken: cancellationToken);
        if (!decision.IsAllowed)
        {
            throw CommonErrors.AccessDenied(AccessDecision.Message(call.Principal.Arn, request.Action, request.ShownAs ?? request.Resource, decision.Reason!));
        }
    }

    public async ValueTask<bool> IsAllowedAsync(Call call, AccessRequest request, IStoreSession? within = null, CancellationToken cancellationToken = default) =>
        IsService(call, request) || (await EvaluateAsync(call.Principal, call.Origin, call.Region, request, within: within, cancellationToken: cancellationToken)).IsAllowed;

    public ValueTask<AccessDecision> DecideAsync(Call call, AccessRequest request, IStoreSession? within = null, CancellationToken cancellationToken = default) =>
        IsService(call, request) ? new(ServiceAllowed) : EvaluateAsync(call.Principal, call.Origin, call.Region, request, within: within, cancellationToken: cancellationToken);

    private static readonly AccessDecision ServiceAllowed = new(Decision.Allowed, null, Decision.Allowed, null);

    /// <summary>Coffer's own scheduled work (rotation, deletion windows) acts for a service principal, made in
    /// process and never authenticated from the wire, on its own account's resources; no policy applies to it.</summary>
    private static bool IsService(Call call, AccessRequest request) =>
        call.Principal.Type == PrincipalType.Service && PolicyEvaluator.IsInAccount(request.Resource, call.AccountId);

    /// <summary>Evaluates a request, awaiting the caller's policies when they are not cached; with
    /// <paramref name="explain"/>, the decision lists the statements that matched.</summary>
    /// <param name="identity">The identity policies to use instead of the principal's own (simulation).</param>
    /// <param name="within">The session of the write the check runs in, if any: the principal's policies are read through it.</param>
    public ValueTask<AccessDecision> EvaluateAsync(Principal principal, RequestOrigin origin, string region, AccessRequest request, bool explain = false, ResolvedIdentity? identity = null, IStoreSession? within = null, CancellationToken cancellationToken = default)
    {
        if (identity is not null || principal.IsRoot)
        {
            return new(EvaluateResolved(principal, origin, region, request, explain, identity ?? ResolvedIdentity.None));
        }

        var resolving = identities.ResolveAsync(principal, within, cancellationToken);
        return resolving.IsCompletedSuccessfully
            ? new(EvaluateResolved(principal, origin, region, request, explain, resolving.Result))
            : Awaited(resolving, principal, origin, region, request, explain);
    }

    private async ValueTask<AccessDecision> Awaited(ValueTask<ResolvedIdentity> resolving, Principal principal, RequestOrigin origin, string region, AccessRequest request, bool explain) =>
        EvaluateResolved(principal, origin, region, request, explain, await resolving);

    private AccessDecision EvaluateResolved(Principal principal, RequestOrigin origin, string region, AccessRequest request, bool explain, ResolvedIdentity identity)
    {
        var input = new EvaluationInput
        {
            Context = new RequestContext(principal, request.Action, request.Resource, origin, region, request.ConditionKeys, identity.Tags),
            IdentityPolicies = identity.Policies,
            IdentityAllowsAll = principal.IsRoot,
            SessionPolicy = identity.SessionPolicy,
            ResourcePolicy = request.ResourcePolicy is { } text ? new PolicySource(request.Resource, PolicySourceType.Resource, policies.Get(text)) : null,
            ResourcePolicyRequired = ResourcePolicyMustAllow(request),
        };
        return PolicyEvaluator.Evaluate(input, explain);
    }

    /// <summary>KMS keys and role trust policies: IAM policies count only where the resource policy lets them.</summary>
    private static bool ResourcePolicyMustAllow(AccessRequest request) =>
        request.Action.Equals("sts:AssumeRole", StringComparison.OrdinalIgnoreCase)
        || (request.Resource.StartsWith("arn:", StringComparison.Ordinal) && request.Resource.Contains(":kms:", StringComparison.Ordinal) && request.Resource.Contains(":key/", StringComparison.Ordinal));
}
