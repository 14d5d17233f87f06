using Coffer.Core.Aws;
using Coffer.Core.Identity;

namespace Coffer.Core.Access;

/// <summary>What is being asked: an IAM action on a resource, with what the resource brings to the
/// decision (its resource policy, such as a key policy or a secret's policy).</summary>
public sealed record AccessRequest(string Action, string Resource)
{
    /// <summary>The resource-based policy that applies, as JSON; null when the resource has none.</summary>
    public string? ResourcePolicy { get; init; }

    /// <summary>Condition keys that the resource or the request supplies (kms:EncryptionContext:..., aws:ResourceTag/...).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>>? ConditionKeys { get; init; }
}

/// <summary>Decides whether a call may do what it asks. Domain services call it once per action,
/// after loading the resource, so every entry point passes the same check.</summary>
public interface IAuthorizer
{
    /// <summary>Throws <c>AccessDeniedException</c> with AWS's message when the call is not allowed.</summary>
    void Authorize(Call call, AccessRequest request);

    bool IsAllowed(Call call, AccessRequest request);
}

/// <summary>
/// The rule before IAM policies exist: the account's root may do anything to its own account's
/// resources, and nothing to another account's.
/// </summary>
public sealed class AccountAuthorizer : IAuthorizer
{
    public void Authorize(Call call, AccessRequest request)
    {
        if (!IsAllowed(call, request))
        {
            throw CommonErrors.AccessDenied(DeniedMessage(call.Principal, request.Action, request.Resource, "no identity-based policy allows the " + request.Action + " action"));
        }
    }

    public bool IsAllowed(Call call, AccessRequest request)
    {
        if (!call.Principal.IsRoot)
        {
            return false;
        }

        return request.Resource == "*"
            || (Arn.TryParse(request.Resource, out var arn) && (arn.Value.Account == call.AccountId || arn.Value.Account.Length == 0));
    }

    /// <summary>AWS's wording: "User: ARN is not authorized to perform: ACTION on resource: ARN because REASON".</summary>
    public static string DeniedMessage(Principal principal, string action, string resource, string reason) =>
        $"User: {principal.Arn} is not authorized to perform: {action} on resource: {resource} because {reason}";
}
