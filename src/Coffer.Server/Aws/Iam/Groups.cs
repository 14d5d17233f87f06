using Coffer.Core.Identity;
using Coffer.Server.Aws.Protocol;

namespace Coffer.Server.Aws.Iam;

public sealed record GroupRequest(string GroupName, string? Path, string? UserName, string? Marker, int? MaxItems);

public sealed record GroupResponse(Group Group);

public sealed record GetGroupResponse(Group Group, IReadOnlyList<User> Users, bool IsTruncated, string? Marker);

public sealed record ListGroupsResponse(IReadOnlyList<Group> Groups, bool IsTruncated, string? Marker);

/// <summary>CreateGroup, GetGroup, ListGroups, DeleteGroup, AddUserToGroup, RemoveUserFromGroup.</summary>
public static class Groups
{
    public static JsonOperation CreateGroup { get; } = JsonOperation.Create(
        "CreateGroup", static () => IamJson.Default.GroupRequest, static () => IamJson.Default.GroupResponse,
        async (s, call, r, ct) => new GroupResponse(Group.From(await s.Identity.CreateAsync(call, IamEntityKind.Group, new CreateEntityInput(r.GroupName, r.Path, null), ct))));

    public static JsonOperation GetGroup { get; } = JsonOperation.Create(
        "GetGroup", static () => IamJson.Default.GroupRequest, static () => IamJson.Default.GetGroupResponse,
        async (s, call, r, ct) =>
        {
            var (group, users) = await s.Identity.GetGroupAsync(call, r.GroupName, r.Marker, r.MaxItems, ct);
            return new GetGroupResponse(Group.From(group), [.. users.Items.Select(u => User.From(u, withTags: false))], users.IsTruncated, users.Marker);
        });

    public static JsonOperation ListGroups { get; } = JsonOperation.Create(
        "ListGroups", static () => IamJson.Default.ListRequest, static () => IamJson.Default.ListGroupsResponse,
        async (s, call, r, ct) =>
        {
            var page = await s.Identity.ListAsync(call, IamEntityKind.Group, r.PathPrefix, r.Marker, r.MaxItems, ct);
            return new ListGroupsResponse([.. page.Items.Select(Group.From)], page.IsTruncated, page.Marker);
        });

    public static JsonOperation DeleteGroup { get; } = JsonOperation.Create(
        "DeleteGroup", static () => IamJson.Default.GroupRequest, static () => IamJson.Default.Empty,
        async (s, call, r, ct) =>
        {
            await s.Identity.DeleteAsync(call, IamEntityKind.Group, r.GroupName, ct);
            return new Empty();
        });

    public static JsonOperation AddUserToGroup { get; } = JsonOperation.Create(
        "AddUserToGroup", static () => IamJson.Default.GroupRequest, static () => IamJson.Default.Empty,
        async (s, call, r, ct) =>
        {
            await s.Identity.AddUserToGroupAsync(call, r.GroupName, r.UserName!, ct);
            return new Empty();
        });

    public static JsonOperation RemoveUserFromGroup { get; } = JsonOperation.Create(
        "RemoveUserFromGroup", static () => IamJson.Default.GroupRequest, static () => IamJson.Default.Empty,
        async (s, call, r, ct) =>
        {
            await s.Identity.RemoveUserFromGroupAsync(call, r.GroupName, r.UserName!, ct);
            return new Empty();
        });
}
