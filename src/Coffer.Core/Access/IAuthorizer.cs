using Coffer.Core.Storage;

namespace Coffer.Core.Access;

/// <summary>What is being asked: an IAM action on a resource, with what the resource brings to the
/// decision (its resource policy, such as a key policy or a secret's policy).</summary>
public sealed record AccessRequest(string Action, string Resource)
{
    /// <summary>The resource-based policy that applies, as JSON; null when the resource has none.</summary>
    public string? ResourcePolicy { get; init; }

    /// <summary>Condition keys that the resource or the request supplies (kms:EncryptionContext:..., aws:ResourceTag/...).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>>? ConditionKeys { get; init; }

    /// <summary>How a denial names the resource, when that must not depend on whether it exists (the
    /// identifier the caller gave, so a denied caller learns nothing about names it may not see).</summary>
    public string? ShownAs { get; init; }
}

/// <summary>Decides whether a call may do what it asks. Domain services call it once per action,
/// after loading the resource, so every entry point passes the same check. A check made inside a
/// write passes that write's session as <c>within</c>: what the decision needs to read (the caller's
/// policies) is read through it, since a read through the store from inside a write is refused.</summary>
public interface IAuthorizer
{
    /// <summary>Throws <c>AccessDeniedException</c> with AWS's message when the call is not allowed; what the
    /// decision reads (the caller's policies, when not cached) is awaited.</summary>
    ValueTask AuthorizeAsync(Call call, AccessRequest request, IStoreSession? within = null, CancellationToken cancellationToken = default);

    /// <summary>Whether the call is allowed, without throwing.</summary>
    ValueTask<bool> IsAllowedAsync(Call call, AccessRequest request, IStoreSession? within = null, CancellationToken cancellationToken = default);

    /// <summary>The decision itself, for a service that adds an allow of its own once policies decline
    /// (KMS grants): an explicit deny stays a deny; AWS's reason is kept for the AccessDenied message.</summary>
    ValueTask<AccessDecision> DecideAsync(Call call, AccessRequest request, IStoreSession? within = null, CancellationToken cancellationToken = default);
}
