using Coffer.Core.Identity;
using Coffer.Core.Kms;

namespace Coffer.Server.Aws.Iam;

/// <summary>The IAM wire shapes that several operations share, named as the model names them.</summary>
public sealed record Tag(string Key, string Value)
{
    public static IReadOnlyList<ResourceTag>? ToDomain(IReadOnlyList<Tag>? tags) => tags?.Select(t => new ResourceTag(t.Key, t.Value)).ToList();

    public static IReadOnlyList<Tag>? From(IReadOnlyList<ResourceTag> tags) => tags.Count == 0 ? null : [.. tags.Select(t => new Tag(t.Key, t.Value))];
}

public sealed record User(string? Path, string? UserName, string UserId, string Arn, DateTimeOffset CreateDate, IReadOnlyList<Tag>? Tags)
{
    /// <summary>The root, as GetUser shows it, has no name and no path.</summary>
    public static User From(IamEntity e, bool withTags = true) =>
        new(e.Path.Length == 0 ? null : e.Path, e.Name.Length == 0 ? null : e.Name, e.Id, e.Arn, e.CreateDate, withTags ? Tag.From(e.Tags) : null);
}

public sealed record Group(string Path, string GroupName, string GroupId, string Arn, DateTimeOffset CreateDate)
{
    public static Group From(IamEntity e) => new(e.Path, e.Name, e.Id, e.Arn, e.CreateDate);
}

public sealed record Role(string Path, string RoleName, string RoleId, string Arn, DateTimeOffset CreateDate, string? AssumeRolePolicyDocument, string? Description, int MaxSessionDuration, IReadOnlyList<Tag>? Tags)
{
    /// <summary>AWS returns policy documents URL-encoded; the CLI and boto3 decode them.</summary>
    public static Role From(IamEntity e, bool withTags = true) =>
        new(e.Path, e.Name, e.Id, e.Arn, e.CreateDate, Encode(e.AssumeRolePolicyDocument), e.Description, e.MaxSessionDuration, withTags ? Tag.From(e.Tags) : null);

    public static string? Encode(string? document) => document is null ? null : Uri.EscapeDataString(document);
}

public sealed record Policy(string PolicyName, string PolicyId, string Arn, string Path, string DefaultVersionId, int AttachmentCount, int PermissionsBoundaryUsageCount, bool IsAttachable, string? Description, DateTimeOffset CreateDate, DateTimeOffset UpdateDate, IReadOnlyList<Tag>? Tags)
{
    public static Policy From(ManagedPolicy p, int attachments) =>
        new(p.Name, p.Id, p.Arn, p.Path, p.DefaultVersionId, attachments, 0, true, p.Description, p.CreateDate, p.UpdateDate, Tag.From(p.Tags));
}

public sealed record PolicyVersion(string? Document, string VersionId, bool IsDefaultVersion, DateTimeOffset CreateDate)
{
    public static PolicyVersion From(ManagedPolicy p, Core.Identity.PolicyVersion v) => new(Role.Encode(v.Document)!, v.VersionId, v.VersionId == p.DefaultVersionId, v.CreateDate);
}

public sealed record AttachedPolicy(string PolicyName, string PolicyArn)
{
    public static AttachedPolicy From(string arn) => new(IdentityResolver.NameOf(arn), arn);
}

public sealed record AccessKeyMetadata(string? UserName, string AccessKeyId, string Status, DateTimeOffset CreateDate);
