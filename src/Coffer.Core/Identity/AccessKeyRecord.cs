namespace Coffer.Core.Identity;

/// <summary>
/// An access key as stored. The secret part is wrapped by the root key: it is shown once, when the
/// key is made, and never returned again. Session keys (STS) also carry a hash of their session
/// token and an expiry.
/// </summary>
public sealed record AccessKeyRecord
{
    public required string AccessKeyId { get; init; }

    public required string AccountId { get; init; }

    public required PrincipalType OwnerType { get; init; }

    /// <summary>The ARN of the user, the root, or the assumed-role session.</summary>
    public required string OwnerArn { get; init; }

    /// <summary>The owner's unique id: the account id for root, AIDA... for users, AROA...:session for sessions.</summary>
    public required string OwnerId { get; init; }

    /// <summary>The user name for IAM users; the session name for assumed roles.</summary>
    public string? OwnerName { get; init; }

    public required byte[] WrappedSecret { get; init; }

    public string Status { get; init; } = "Active";

    public required DateTimeOffset CreateDate { get; init; }

    public byte[]? SessionTokenHash { get; init; }

    public DateTimeOffset? Expiration { get; init; }

    /// <summary>For sessions: the role assumed.</summary>
    public string? RoleArn { get; init; }

    /// <summary>For sessions: the session policy passed to AssumeRole, if any.</summary>
    public string? SessionPolicy { get; init; }

    public bool IsActive => Status == "Active";
}

public interface IAccessKeyRepository
{
    ValueTask<AccessKeyRecord?> FindAsync(string accessKeyId, CancellationToken cancellationToken);

    ValueTask<IReadOnlyList<AccessKeyRecord>> ListForOwnerAsync(string accountId, string ownerArn, CancellationToken cancellationToken);

    ValueTask InsertAsync(AccessKeyRecord record, CancellationToken cancellationToken);

    ValueTask UpdateAsync(AccessKeyRecord record, CancellationToken cancellationToken);

    ValueTask DeleteAsync(string accessKeyId, CancellationToken cancellationToken);

    /// <summary>Removes session keys that expired before <paramref name="now"/>.</summary>
    ValueTask<int> DeleteExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken);

}
