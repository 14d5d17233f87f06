using Coffer.Core.Access;
using Coffer.Core.Kms;

namespace Coffer.Core.Identity;

public sealed record CreateEntityInput(string Name, string? Path, IReadOnlyList<ResourceTag>? Tags)
{
    public string? AssumeRolePolicyDocument { get; init; }

    public string? Description { get; init; }

    public int? MaxSessionDuration { get; init; }
}

public sealed partial class IdentityService
{
    public async Task<IamEntity> CreateAsync(Call call, IamEntityKind kind, CreateEntityInput input, CancellationToken ct)
    {
        ValidatePath(input.Path);
        var path = input.Path ?? "/";
        if (kind == IamEntityKind.Role)
        {
            ValidatePolicy(input.AssumeRolePolicyDocument ?? throw IdentityErrors.Validation("AssumeRolePolicyDocument is required."), PolicyKind.Trust);
        }

        var entity = new IamEntity
        {
            Kind = kind,
            AccountId = call.AccountId,
            Name = input.Name,
            Id = NewId(kind switch { IamEntityKind.User => "AIDA", IamEntityKind.Group => "AGPA", _ => "AROA" }),
            Path = path,
            Arn = EntityArn(call, kind, path, input.Name),
            CreateDate = time.GetUtcNow(),
            Tags = input.Tags ?? [],
            AssumeRolePolicyDocument = input.AssumeRolePolicyDocument,
            Description = input.Description,
            MaxSessionDuration = input.MaxSessionDuration ?? 3600,
        };
        await AuthorizeAsync(call, Action("Create", kind), entity.Arn, ResourceType(kind), ResourceTags.RequestConditions(input.Tags), ct);
        return await ChangeAsync(call, async (s, ct) =>
        {
            if (await s.Iam.FindAsync(call.AccountId, kind, input.Name, ct) is not null)
            {
                throw IdentityErrors.AlreadyExists(kind, input.Name);
            }

            await s.Iam.InsertAsync(entity, ct);
            return entity;
        }, ct);
    }

    public Task<IamEntity> GetAsync(Call call, IamEntityKind kind, string name, CancellationToken ct) =>
        LoadAsync(call, kind, name, Action("Get", kind), ct).AsTask();

    /// <summary>GetUser without a name: the calling user, or the root as AWS shows it (no name, no path).</summary>
    public async Task<IamEntity> GetCallerAsync(Call call, CancellationToken ct)
    {
        var caller = call.Principal;
        switch (caller.Type)
        {
            case PrincipalType.IamUser:
                return await GetAsync(call, IamEntityKind.User, caller.Name!, ct);
            case PrincipalType.Root:
                await AuthorizeAsync(call, "iam:GetUser", caller.Arn, "AWS::IAM::Root", null, ct);
                var created = caller.AccessKeyId is { } id ? (await store.ReadAsync((s, ct) => s.AccessKeys.FindAsync(id, ct), ct))?.CreateDate : null;
                return new IamEntity { Kind = IamEntityKind.User, AccountId = caller.AccountId, Name = "", Id = caller.AccountId, Path = "", Arn = caller.Arn, CreateDate = created ?? DateTimeOffset.UnixEpoch };
            default:
                throw IdentityErrors.Validation("Must specify userName when calling with non-User credentials");
        }
    }

    public async Task<IamPage<IamEntity>> ListAsync(Call call, IamEntityKind kind, string? pathPrefix, string? marker, int? maxItems, CancellationToken ct)
    {
        await AuthorizeAsync(call, Action("List", kind, "s"), EntityArn(call, kind, "/", ""), ResourceType(kind), null, ct);
        return Page(await store.ReadAsync((s, ct) => s.Iam.ListAsync(call.AccountId, kind, pathPrefix ?? "/", ct), ct), marker, maxItems);
    }

    public async Task DeleteAsync(Call call, IamEntityKind kind, string name, CancellationToken ct)
    {
        await LoadAsync(call, kind, name, Action("Delete", kind), ct);
        var ended = await ChangeAsync(call, async (s, ct) =>
        {
            var entity = await RequireAsync(s, call, kind, name, ct);
            List<string> sessions = [];
            if (kind == IamEntityKind.User)
            {
                var keys = await s.AccessKeys.ListForOwnerAsync(call.AccountId, entity.Arn, ct);
                if (keys.Any(k => k.SessionTokenHash is null))
                {
                    throw IdentityErrors.DeleteConflict("Cannot delete entity, must delete access keys first.");
                }

                if (await s.Iam.FindLoginProfileAsync(call.AccountId, entity.Name, ct) is not null)
                {
                    throw IdentityErrors.DeleteConflict("Cannot delete entity, must delete login profile first.");
                }

                if ((await s.Iam.GroupsOfAsync(entity, ct)).Count > 0)
                {
                    throw IdentityErrors.DeleteConflict("Cannot delete entity, must remove user from all groups first.");
                }

                // Temporary credentials from GetSessionToken end with their user.
                sessions = [.. keys.Select(k => k.AccessKeyId)];
            }

            if (kind == IamEntityKind.Group && (await s.Iam.MembersOfAsync(entity, ct)).Count > 0)
            {
                throw IdentityErrors.DeleteConflict("Cannot delete entity, must remove users from group first.");
            }

            if (entity.InlinePolicies.Count > 0)
            {
                throw IdentityErrors.DeleteConflict("Cannot delete entity, must delete policies first.");
            }

            if ((await s.Iam.AttachedPoliciesAsync(entity, ct)).Count > 0)
            {
                throw IdentityErrors.DeleteConflict("Cannot delete entity, must detach all policies first.");
            }

            foreach (var id in sessions)
            {
                await s.AccessKeys.DeleteAsync(id, ct);
            }

            await s.Iam.DeleteAsync(entity, ct);
            return sessions;
        }, ct);
        foreach (var id in ended)
        {
            credentials.Evict(id);
        }
    }

    public async Task<(IamEntity Group, IamPage<IamEntity> Users)> GetGroupAsync(Call call, string groupName, string? marker, int? maxItems, CancellationToken ct)
    {
        var group = await LoadAsync(call, IamEntityKind.Group, groupName, "iam:GetGroup", ct);
        return (group, Page(await store.ReadAsync((s, ct) => s.Iam.MembersOfAsync(group, ct), ct), marker, maxItems));
    }

    public Task AddUserToGroupAsync(Call call, string groupName, string userName, CancellationToken ct) =>
        MembershipAsync(call, groupName, userName, "iam:AddUserToGroup", ct);

    public Task RemoveUserFromGroupAsync(Call call, string groupName, string userName, CancellationToken ct) =>
        MembershipAsync(call, groupName, userName, "iam:RemoveUserFromGroup", ct);

    private async Task MembershipAsync(Call call, string groupName, string userName, string action, CancellationToken ct)
    {
        await LoadAsync(call, IamEntityKind.Group, groupName, action, ct);
        await ChangeAsync(call, async (s, ct) =>
        {
            var group = await RequireAsync(s, call, IamEntityKind.Group, groupName, ct);
            var user = await RequireAsync(s, call, IamEntityKind.User, userName, ct);
            if (action == "iam:AddUserToGroup")
            {
                await s.Iam.AddMemberAsync(group, user, ct);
            }
            else
            {
                await s.Iam.RemoveMemberAsync(group, user, ct);
            }

            return true;
        }, ct);
    }

    public async Task UpdateAssumeRolePolicyAsync(Call call, string roleName, string document, CancellationToken ct)
    {
        ValidatePolicy(document, PolicyKind.Trust);
        await LoadAsync(call, IamEntityKind.Role, roleName, "iam:UpdateAssumeRolePolicy", ct);
        await ChangeAsync(call, async (s, ct) =>
        {
            await s.Iam.UpdateAsync(await RequireAsync(s, call, IamEntityKind.Role, roleName, ct) with { AssumeRolePolicyDocument = document }, ct);
            return true;
        }, ct);
    }
}
