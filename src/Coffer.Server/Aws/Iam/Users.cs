using Coffer.Core.Identity;
using Coffer.Server.Aws.Protocol;

namespace Coffer.Server.Aws.Iam;

public sealed record CreateUserRequest(string UserName, string? Path, IReadOnlyList<Tag>? Tags);

public sealed record UserRequest(string? UserName);

public sealed record UserResponse(User User);

public sealed record ListRequest(string? PathPrefix, string? Marker, int? MaxItems);

public sealed record ListUsersResponse(IReadOnlyList<User> Users, bool IsTruncated, string? Marker);

/// <summary>CreateUser, GetUser, ListUsers, DeleteUser.</summary>
public static class Users
{
    public static JsonOperation CreateUser { get; } = JsonOperation.Create(
        "CreateUser", static () => IamJson.Default.CreateUserRequest, static () => IamJson.Default.UserResponse,
        async (s, call, r, ct) => new UserResponse(User.From(await s.Identity.CreateAsync(call, IamEntityKind.User, new CreateEntityInput(r.UserName, r.Path, Tag.ToDomain(r.Tags)), ct))));

    public static JsonOperation GetUser { get; } = JsonOperation.Create(
        "GetUser", static () => IamJson.Default.UserRequest, static () => IamJson.Default.UserResponse,
        async (s, call, r, ct) => new UserResponse(User.From(r.UserName is null ? await s.Identity.GetCallerAsync(call, ct) : await s.Identity.GetAsync(call, IamEntityKind.User, r.UserName, ct))));

    public static JsonOperation ListUsers { get; } = JsonOperation.Create(
        "ListUsers", static () => IamJson.Default.ListRequest, static () => IamJson.Default.ListUsersResponse,
        async (s, call, r, ct) =>
        {
            var page = await s.Identity.ListAsync(call, IamEntityKind.User, r.PathPrefix, r.Marker, r.MaxItems, ct);
            return new ListUsersResponse([.. page.Items.Select(u => User.From(u, withTags: false))], page.IsTruncated, page.Marker);
        });

    public static JsonOperation DeleteUser { get; } = JsonOperation.Create(
        "DeleteUser", static () => IamJson.Default.UserRequest, static () => IamJson.Default.Empty,
        async (s, call, r, ct) =>
        {
            await s.Identity.DeleteAsync(call, IamEntityKind.User, r.UserName!, ct);
            return new Empty();
        });
}
