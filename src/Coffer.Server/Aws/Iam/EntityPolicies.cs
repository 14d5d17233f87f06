using Coffer.Core.Identity;
using Coffer.Server.Aws.Protocol;

namespace Coffer.Server.Aws.Iam;

/// <summary>The request of every call about a user's, group's or role's policies: the entity is named by whichever of UserName, GroupName, RoleName the operation has.</summary>
public sealed record EntityPolicyRequest(string? UserName, string? GroupName, string? RoleName, string? PolicyName, string? PolicyDocument, string? PolicyArn, string? PathPrefix, string? Marker, int? MaxItems)
{
    public string Name => UserName ?? GroupName ?? RoleName!;
}

public sealed record GetEntityPolicyResponse(string? UserName, string? GroupName, string? RoleName, string PolicyName, string PolicyDocument);

public sealed record ListEntityPoliciesResponse(IReadOnlyList<string> PolicyNames, bool IsTruncated, string? Marker);

public sealed record ListAttachedPoliciesResponse(IReadOnlyList<AttachedPolicy> AttachedPolicies, bool IsTruncated, string? Marker);

/// <summary>
/// The inline policy calls (Put, Get, List, Delete) and the managed policy attachment calls
/// (Attach, Detach, ListAttached) of users, groups and roles: the same operations on three kinds
/// of entity, so each is made here once per kind.
/// </summary>
public static class EntityPolicies
{
    public static IEnumerable<JsonOperation> For(IamEntityKind kind) =>
    [
        Change($"Put{kind}Policy", (s, call, r, ct) => s.Identity.PutInlinePolicyAsync(call, kind, r.Name, r.PolicyName!, r.PolicyDocument!, ct)),
        Change($"Delete{kind}Policy", (s, call, r, ct) => s.Identity.DeleteInlinePolicyAsync(call, kind, r.Name, r.PolicyName!, ct)),
        Change($"Attach{kind}Policy", (s, call, r, ct) => s.Identity.AttachPolicyAsync(call, kind, r.Name, r.PolicyArn!, ct)),
        Change($"Detach{kind}Policy", (s, call, r, ct) => s.Identity.DetachPolicyAsync(call, kind, r.Name, r.PolicyArn!, ct)),
        JsonOperation.Create(
            $"Get{kind}Policy", static () => IamJson.Default.EntityPolicyRequest, static () => IamJson.Default.GetEntityPolicyResponse,
            async (s, call, r, ct) =>
            {
                var (entity, policy) = await s.Identity.GetInlinePolicyAsync(call, kind, r.Name, r.PolicyName!, ct);
                return new GetEntityPolicyResponse(
                    kind == IamEntityKind.User ? entity.Name : null,
                    kind == IamEntityKind.Group ? entity.Name : null,
                    kind == IamEntityKind.Role ? entity.Name : null,
                    policy.Name,
                    Role.Encode(policy.Document)!);
            }),
        JsonOperation.Create(
            $"List{kind}Policies", static () => IamJson.Default.EntityPolicyRequest, static () => IamJson.Default.ListEntityPoliciesResponse,
            async (s, call, r, ct) =>
            {
                var page = await s.Identity.ListInlinePoliciesAsync(call, kind, r.Name, r.Marker, r.MaxItems, ct);
                return new ListEntityPoliciesResponse(page.Items, page.IsTruncated, page.Marker);
            }),
        JsonOperation.Create(
            $"ListAttached{kind}Policies", static () => IamJson.Default.EntityPolicyRequest, static () => IamJson.Default.ListAttachedPoliciesResponse,
            async (s, call, r, ct) =>
            {
                var page = await s.Identity.ListAttachedPoliciesAsync(call, kind, r.Name, r.PathPrefix, r.Marker, r.MaxItems, ct);
                return new ListAttachedPoliciesResponse([.. page.Items.Select(AttachedPolicy.From)], page.IsTruncated, page.Marker);
            }),
    ];

    private static JsonOperation Change(string name, Func<CofferServices, Core.Call, EntityPolicyRequest, CancellationToken, Task> change) =>
        JsonOperation.Create(name, static () => IamJson.Default.EntityPolicyRequest, static () => IamJson.Default.Empty, async (s, call, r, ct) =>
        {
            await change(s, call, r, ct);
            return new Empty();
        });
}
