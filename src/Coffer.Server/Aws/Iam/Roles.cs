using Coffer.Core.Identity;
using Coffer.Server.Aws.Protocol;

namespace Coffer.Server.Aws.Iam;

public sealed record CreateRoleRequest(string RoleName, string? Path, string AssumeRolePolicyDocument, string? Description, int? MaxSessionDuration, string? PermissionsBoundary, IReadOnlyList<Tag>? Tags);

public sealed record RoleRequest(string RoleName, string? PolicyDocument);

public sealed record RoleResponse(Role Role);

public sealed record ListRolesResponse(IReadOnlyList<Role> Roles, bool IsTruncated, string? Marker);

/// <summary>CreateRole, GetRole, ListRoles, DeleteRole, UpdateAssumeRolePolicy.</summary>
public static class Roles
{
    public static JsonOperation CreateRole { get; } = JsonOperation.Create(
        "CreateRole", static () => IamJson.Default.CreateRoleRequest, static () => IamJson.Default.RoleResponse,
        async (s, call, r, ct) =>
        {
            if (r.PermissionsBoundary is not null)
            {
                throw new Core.CofferException("InvalidInput", "Coffer does not support permissions boundaries yet; see docs/api-compatibility.md.");
            }

            var input = new CreateEntityInput(r.RoleName, r.Path, Tag.ToDomain(r.Tags))
            {
                AssumeRolePolicyDocument = r.AssumeRolePolicyDocument,
                Description = r.Description,
                MaxSessionDuration = r.MaxSessionDuration,
            };
            return new RoleResponse(Role.From(await s.Identity.CreateAsync(call, IamEntityKind.Role, input, ct)));
        });

    public static JsonOperation GetRole { get; } = JsonOperation.Create(
        "GetRole", static () => IamJson.Default.RoleRequest, static () => IamJson.Default.RoleResponse,
        async (s, call, r, ct) => new RoleResponse(Role.From(await s.Identity.GetAsync(call, IamEntityKind.Role, r.RoleName, ct))));

    public static JsonOperation ListRoles { get; } = JsonOperation.Create(
        "ListRoles", static () => IamJson.Default.ListRequest, static () => IamJson.Default.ListRolesResponse,
        async (s, call, r, ct) =>
        {
            var page = await s.Identity.ListAsync(call, IamEntityKind.Role, r.PathPrefix, r.Marker, r.MaxItems, ct);
            return new ListRolesResponse([.. page.Items.Select(e => Role.From(e, withTags: false))], page.IsTruncated, page.Marker);
        });

    public static JsonOperation DeleteRole { get; } = JsonOperation.Create(
        "DeleteRole", static () => IamJson.Default.RoleRequest, static () => IamJson.Default.Empty,
        async (s, call, r, ct) =>
        {
            await s.Identity.DeleteAsync(call, IamEntityKind.Role, r.RoleName, ct);
            return new Empty();
        });

    public static JsonOperation UpdateAssumeRolePolicy { get; } = JsonOperation.Create(
        "UpdateAssumeRolePolicy", static () => IamJson.Default.RoleRequest, static () => IamJson.Default.Empty,
        async (s, call, r, ct) =>
        {
            await s.Identity.UpdateAssumeRolePolicyAsync(call, r.RoleName, r.PolicyDocument!, ct);
            return new Empty();
        });
}
