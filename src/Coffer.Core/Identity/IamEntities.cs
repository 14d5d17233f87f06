using Coffer.Core.Kms;

namespace Coffer.Core.Identity;

public enum IamEntityKind
{
    User,
    Group,
    Role,
}

/// <summary>An inline policy: embedded in one user, group or role, named within it.</summary>
public sealed record InlinePolicy(string Name, string Document);

/// <summary>
/// An IAM user, group or role as stored. Names are unique within the account regardless of case;
/// the ARN carries the path (<c>arn:aws:iam::ACCOUNT:user/PATH/NAME</c>). Group membership and
/// attached managed policies are kept apart, so that both directions can be listed.
/// </summary>
public sealed record IamEntity
{
    public required IamEntityKind Kind { get; init; }

    public required string AccountId { get; init; }

    public required string Name { get; init; }

    /// <summary>The unique id: AIDA... for users, AGPA... for groups, AROA... for roles.</summary>
    public required string Id { get; init; }

    public required string Path { get; init; }

    public required string Arn { get; init; }

    public required DateTimeOffset CreateDate { get; init; }

    public IReadOnlyList<InlinePolicy> InlinePolicies { get; init; } = [];

    public IReadOnlyList<ResourceTag> Tags { get; init; } = [];

    /// <summary>Roles: who may assume the role.</summary>
    public string? AssumeRolePolicyDocument { get; init; }

    /// <summary>Roles.</summary>
    public string? Description { get; init; }

    /// <summary>Roles: the longest session, in seconds (3600 to 43200).</summary>
    public int MaxSessionDuration { get; init; } = 3600;
}

/// <summary>A customer managed policy (or one of the AWS managed policies Coffer ships) with its versions.</summary>
public sealed record ManagedPolicy
{
    /// <summary>The owning account, or "aws" for AWS managed policies.</summary>
    public required string AccountId { get; init; }

    public required string Name { get; init; }

    /// <summary>ANPA...</summary>
    public required string Id { get; init; }

    public required string Path { get; init; }

    public required string Arn { get; init; }

    public string? Description { get; init; }

    public required DateTimeOffset CreateDate { get; init; }

    public required DateTimeOffset UpdateDate { get; init; }

    public required string DefaultVersionId { get; init; }

    public required IReadOnlyList<PolicyVersion> Versions { get; init; }

    public IReadOnlyList<ResourceTag> Tags { get; init; } = [];

    public bool IsAwsManaged => AccountId == "aws";

    public PolicyVersion DefaultVersion => Versions.First(v => v.VersionId == DefaultVersionId);
}

public sealed record PolicyVersion(string VersionId, string Document, DateTimeOffset CreateDate);

public interface IIamRepository
{
    /// <summary>Finds a user, group or role by name, regardless of case.</summary>
    ValueTask<IamEntity?> FindAsync(string accountId, IamEntityKind kind, string name, CancellationToken cancellationToken);

    /// <summary>Every entity of a kind whose path starts with <paramref name="pathPrefix"/>, by name.</summary>
    ValueTask<IReadOnlyList<IamEntity>> ListAsync(string accountId, IamEntityKind kind, string pathPrefix, CancellationToken cancellationToken);

    ValueTask InsertAsync(IamEntity entity, CancellationToken cancellationToken);

    ValueTask UpdateAsync(IamEntity entity, CancellationToken cancellationToken);

    /// <summary>Deletes the entity with its attachments and group memberships.</summary>
    ValueTask DeleteAsync(IamEntity entity, CancellationToken cancellationToken);

    ValueTask<ManagedPolicy?> FindPolicyAsync(string arn, CancellationToken cancellationToken);

    /// <summary>The account's customer managed policies whose path starts with <paramref name="pathPrefix"/>, by name.</summary>
    ValueTask<IReadOnlyList<ManagedPolicy>> ListPoliciesAsync(string accountId, string pathPrefix, CancellationToken cancellationToken);

    ValueTask InsertPolicyAsync(ManagedPolicy policy, CancellationToken cancellationToken);

    ValueTask UpdatePolicyAsync(ManagedPolicy policy, CancellationToken cancellationToken);

    ValueTask DeletePolicyAsync(string arn, CancellationToken cancellationToken);

    /// <summary>The ARNs of the managed policies attached to an entity, in attachment order.</summary>
    ValueTask<IReadOnlyList<string>> AttachedPoliciesAsync(IamEntity entity, CancellationToken cancellationToken);

    ValueTask AttachAsync(IamEntity entity, string policyArn, CancellationToken cancellationToken);

    ValueTask DetachAsync(IamEntity entity, string policyArn, CancellationToken cancellationToken);

    ValueTask<int> CountAttachmentsAsync(string policyArn, CancellationToken cancellationToken);

    ValueTask<IReadOnlyList<IamEntity>> GroupsOfAsync(IamEntity user, CancellationToken cancellationToken);

    /// <summary>A user's login profile, found by the user's name regardless of case.</summary>
    ValueTask<LoginProfile?> FindLoginProfileAsync(string accountId, string userName, CancellationToken cancellationToken);

    /// <summary>Inserts the profile, or replaces the user's existing one.</summary>
    ValueTask PutLoginProfileAsync(LoginProfile profile, CancellationToken cancellationToken);

    ValueTask DeleteLoginProfileAsync(string accountId, string userName, CancellationToken cancellationToken);

    ValueTask<IReadOnlyList<IamEntity>> MembersOfAsync(IamEntity group, CancellationToken cancellationToken);

    ValueTask AddMemberAsync(IamEntity group, IamEntity user, CancellationToken cancellationToken);

    ValueTask RemoveMemberAsync(IamEntity group, IamEntity user, CancellationToken cancellationToken);

    // v1, going: the sync IdentityResolver.Resolve (IIdentityResolver.Resolve, which the sync
    // IAuthorizer members call) reads through these until the lead removes it.

}
