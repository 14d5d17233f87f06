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
    public Task<IamEntity> CreateAsync(Call call, IamEntityKind kind, CreateEntityInput input, CancellationToken ct)
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
        Authorize(call, Action("Create", kind), entity.Arn, ResourceType(kind), ResourceTags.RequestConditions(input.Tags));
        return ChangeAsync(call, s =>
        {
            if (s.Iam.Find(call.AccountId, kind, input.Name) is not null)
            {
                throw IdentityErrors.AlreadyExists(kind, input.Name);
            }

            s.Iam.Insert(entity);
            return entity;
        }, ct);
    }

    public IamEntity Get(Call call, IamEntityKind kind, string name) => Load(call, kind, name, Action("Get", kind));

    /// <summary>GetUser without a name: the calling user, or the root as AWS shows it (no name, no path).</summary>
    public IamEntity GetCaller(Call call)
    {
        var caller = call.Principal;
        switch (caller.Type)
        {
            case PrincipalType.IamUser:
                return Get(call, IamEntityKind.User, caller.Name!);
            case PrincipalType.Root:
                Authorize(call, "iam:GetUser", caller.Arn, "AWS::IAM::Root");
                var created = caller.AccessKeyId is { } id ? store.Read(s => s.AccessKeys.Find(id))?.CreateDate : null;
                return new IamEntity { Kind = IamEntityKind.User, AccountId = caller.AccountId, Name = "", Id = caller.AccountId, Path = "", Arn = caller.Arn, CreateDate = created ?? DateTimeOffset.UnixEpoch };
            default:
                throw IdentityErrors.Validation("Must specify userName when calling with non-User credentials");
        }
    }

    public IamPage<IamEntity> List(Call call, IamEntityKind kind, string? pathPrefix, string? marker, int? maxItems)
    {
        Authorize(call, Action("List", kind, "s"), EntityArn(call, kind, "/", ""), ResourceType(kind));
        return Page(store.Read(s => s.Iam.List(call.AccountId, kind, pathPrefix ?? "/")), marker, maxItems);
    }

    public async Task DeleteAsync(Call call, IamEntityKind kind, string name, CancellationToken ct)
    {
        Load(call, kind, name, Action("Delete", kind));
        var ended = await ChangeAsync(call, s =>
        {
            var entity = Require(s, call, kind, name);
            List<string> sessions = [];
            if (kind == IamEntityKind.User)
            {
                var keys = s.AccessKeys.ListForOwner(call.AccountId, entity.Arn);
                if (keys.Any(k => k.SessionTokenHash is null))
                {
                    throw IdentityErrors.DeleteConflict("Cannot delete entity, must delete access keys first.");
                }

                if (s.Iam.FindLoginProfile(call.AccountId, entity.Name) is not null)
                {
                    throw IdentityErrors.DeleteConflict("Cannot delete entity, must delete login profile first.");
                }

                if (s.Iam.GroupsOf(entity).Count > 0)
                {
                    throw IdentityErrors.DeleteConflict("Cannot delete entity, must remove user from all groups first.");
                }

                // Temporary credentials from GetSessionToken end with their user.
                sessions = [.. keys.Select(k => k.AccessKeyId)];
            }

            if (kind == IamEntityKind.Group && s.Iam.MembersOf(entity).Count > 0)
            {
                throw IdentityErrors.DeleteConflict("Cannot delete entity, must remove users from group first.");
            }

            if (entity.InlinePolicies.Count > 0)
            {
                throw IdentityErrors.DeleteConflict("Cannot delete entity, must delete policies first.");
            }

            if (s.Iam.AttachedPolicies(entity).Count > 0)
            {
                throw IdentityErrors.DeleteConflict("Cannot delete entity, must detach all policies first.");
            }

            foreach (var id in sessions)
            {
                s.AccessKeys.Delete(id);
            }

            s.Iam.Delete(entity);
            return sessions;
        }, ct);
        foreach (var id in ended)
        {
            credentials.Evict(id);
        }
    }

    public (IamEntity Group, IamPage<IamEntity> Users) GetGroup(Call call, string groupName, string? marker, int? maxItems)
    {
        var group = Load(call, IamEntityKind.Group, groupName, "iam:GetGroup");
        return (group, Page(store.Read(s => s.Iam.MembersOf(group)), marker, maxItems));
    }

    public Task AddUserToGroupAsync(Call call, string groupName, string userName, CancellationToken ct) =>
        MembershipAsync(call, groupName, userName, "iam:AddUserToGroup", ct);

    public Task RemoveUserFromGroupAsync(Call call, string groupName, string userName, CancellationToken ct) =>
        MembershipAsync(call, groupName, userName, "iam:RemoveUserFromGroup", ct);

    private Task MembershipAsync(Call call, string groupName, string userName, string action, CancellationToken ct)
    {
        Load(call, IamEntityKind.Group, groupName, action);
        return ChangeAsync(call, s =>
        {
            var group = Require(s, call, IamEntityKind.Group, groupName);
            var user = Require(s, call, IamEntityKind.User, userName);
            if (action == "iam:AddUserToGroup")
            {
                s.Iam.AddMember(group, user);
            }
            else
            {
                s.Iam.RemoveMember(group, user);
            }

            return true;
        }, ct);
    }

    public Task UpdateAssumeRolePolicyAsync(Call call, string roleName, string document, CancellationToken ct)
    {
        ValidatePolicy(document, PolicyKind.Trust);
        Load(call, IamEntityKind.Role, roleName, "iam:UpdateAssumeRolePolicy");
        return ChangeAsync(call, s =>
        {
            s.Iam.Update(Require(s, call, IamEntityKind.Role, roleName) with { AssumeRolePolicyDocument = document });
            return true;
        }, ct);
    }
}
