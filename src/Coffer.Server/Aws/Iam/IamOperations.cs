using Coffer.Core.Identity;
using Coffer.Server.Aws.Protocol;

namespace Coffer.Server.Aws.Iam;

/// <summary>The IAM operations Coffer implements (query protocol, <c>Action=NAME</c>, signed for <c>iam</c>).</summary>
public static class IamOperations
{
    public static IReadOnlyList<JsonOperation> All { get; } =
    [
        Users.CreateUser,
        Users.GetUser,
        Users.ListUsers,
        Users.DeleteUser,
        AccessKeys.CreateAccessKey,
        AccessKeys.ListAccessKeys,
        AccessKeys.UpdateAccessKey,
        AccessKeys.DeleteAccessKey,
        LoginProfiles.CreateLoginProfile,
        LoginProfiles.GetLoginProfile,
        LoginProfiles.UpdateLoginProfile,
        LoginProfiles.DeleteLoginProfile,
        LoginProfiles.ChangePassword,
        Groups.CreateGroup,
        Groups.GetGroup,
        Groups.ListGroups,
        Groups.DeleteGroup,
        Groups.AddUserToGroup,
        Groups.RemoveUserFromGroup,
        Roles.CreateRole,
        Roles.GetRole,
        Roles.ListRoles,
        Roles.DeleteRole,
        Roles.UpdateAssumeRolePolicy,
        ManagedPolicies.CreatePolicy,
        ManagedPolicies.GetPolicy,
        ManagedPolicies.GetPolicyVersion,
        ManagedPolicies.CreatePolicyVersion,
        ManagedPolicies.ListPolicies,
        ManagedPolicies.DeletePolicy,
        .. EntityPolicies.For(IamEntityKind.User),
        .. EntityPolicies.For(IamEntityKind.Group),
        .. EntityPolicies.For(IamEntityKind.Role),
        SimulatePrincipalPolicy.Operation,
    ];
}
