namespace Coffer.Core.Identity;

public enum PrincipalType
{
    Root,
    IamUser,
    AssumedRole,

    /// <summary>Coffer itself, acting on a schedule (rotation, deletion): CloudTrail's AWSService.</summary>
    Service,
}

/// <summary>
/// Who is calling, as authenticated by SigV4. Mirrors CloudTrail's <c>userIdentity</c>.
/// <see cref="Arn"/> is the ARN that policies and messages name (the user, or the assumed-role
/// session); <see cref="PrincipalId"/> is the stable unique id (<c>AIDA...</c>, <c>AROA...:session</c>).
/// </summary>
public sealed record Principal(
    PrincipalType Type,
    string AccountId,
    string Arn,
    string PrincipalId,
    string? AccessKeyId)
{
    /// <summary>The IAM user name, for users; the session name for assumed roles; null for root.</summary>
    public string? Name { get; init; }

    /// <summary>For assumed-role sessions: the role's ARN (<c>arn:aws:iam::ACCOUNT:role/NAME</c>).</summary>
    public string? RoleArn { get; init; }

    /// <summary>When temporary credentials expire; null for long-term keys.</summary>
    public DateTimeOffset? Expiration { get; init; }

    public bool IsRoot => Type == PrincipalType.Root;

    /// <summary>The service principal for scheduled work in an account, such as <c>kms.amazonaws.com</c>.</summary>
    public static Principal ForService(string service, string accountId) =>
        new(PrincipalType.Service, accountId, service, service, null);
}
