using Coffer.Core.Kms;

namespace Coffer.Core.Secrets;

/// <summary>
/// A Secrets Manager secret as stored: its metadata, rotation configuration and the list of its
/// versions with their staging labels. Version values live apart, encrypted under KMS; nothing here
/// is secret.
/// </summary>
public sealed record Secret
{
    public required string AccountId { get; init; }

    public required string Region { get; init; }

    public required string Name { get; init; }

    /// <summary>The six random characters after the name in the ARN, so that a new secret with an old name has a new ARN.</summary>
    public required string Suffix { get; init; }

    public string? Description { get; init; }

    /// <summary>The KMS key as the user named it; null for the account's <c>alias/aws/secretsmanager</c>.</summary>
    public string? KmsKeyId { get; init; }

    public required DateTimeOffset CreatedDate { get; init; }

    public required DateTimeOffset LastChangedDate { get; init; }

    /// <summary>The day (UTC midnight) the secret's value was last read.</summary>
    public DateTimeOffset? LastAccessedDate { get; init; }

    /// <summary>When DeleteSecret was called; null unless the secret is scheduled for deletion.</summary>
    public DateTimeOffset? DeletedDate { get; init; }

    /// <summary>When the recovery window ends and the secret is purged.</summary>
    public DateTimeOffset? DeletionDate { get; init; }

    public IReadOnlyList<ResourceTag> Tags { get; init; } = [];

    public string? ResourcePolicy { get; init; }

    /// <summary>Null until rotation is first configured, as AWS reports it.</summary>
    public bool? RotationEnabled { get; init; }

    public string? RotationLambdaArn { get; init; }

    public RotationRules? RotationRules { get; init; }

    public DateTimeOffset? LastRotatedDate { get; init; }

    /// <summary>The next rotation window; null when no schedule applies.</summary>
    public RotationWindow? NextRotation { get; init; }

    public IReadOnlyList<SecretVersion> Versions { get; init; } = [];

    /// <summary>Replicated secrets: the primary's Region (its own Region on the primary); null for a secret never replicated.</summary>
    public string? PrimaryRegion { get; init; }

    /// <summary>On a primary: its replicas and their status.</summary>
    public IReadOnlyList<SecretReplica> Replicas { get; init; } = [];

    public string Arn => _arn.Get((Region, AccountId, Name, Suffix), static k => SecretArns.Secret(k.Item1, k.Item2, k.Item3, k.Item4));

    /// <summary>A replica, read-only, seen in its own Region (see SecretService.Replication).</summary>
    public bool IsReplica => PrimaryRegion is not null && PrimaryRegion != Region;

    /// <summary>The ARN its versions' values are stored and encrypted under: the primary's, for a replica.</summary>
    public string StorageArn => IsReplica ? SecretArns.Secret(PrimaryRegion!, AccountId, Name, Suffix) : Arn;

    public bool IsDeleted => DeletedDate is not null;

    public SecretVersion? FindVersion(string versionId) => Versions.FirstOrDefault(v => v.VersionId == versionId);

    public SecretVersion? WithStage(string stage) => Versions.FirstOrDefault(v => v.Stages.Contains(stage));

    /// <summary>The version that holds AWSPENDING while not AWSCURRENT: a rotation not yet finished.</summary>
    public SecretVersion? PendingRotation => WithStage(SecretStages.Pending) is { } v && !v.Stages.Contains(SecretStages.Current) ? v : null;

    private DerivedText<(string, string, string, string)> _arn;
}

/// <summary>A replica of a secret as its primary lists it (DescribeSecret's ReplicationStatus).</summary>
public sealed record SecretReplica(string Region, string? KmsKeyId, string Status, string StatusMessage)
{
    public const string InSync = "InSync";
    public const string Failed = "Failed";
}

/// <summary>One version: its id (the ClientRequestToken that made it), its staging labels, and what
/// kind of value it holds. A version without a value is the placeholder a rotation registers.</summary>
public sealed record SecretVersion(string VersionId, DateTimeOffset CreatedDate, IReadOnlyList<string> Stages)
{
    public SecretValueKind? Kind { get; init; }

    /// <summary>The KMS key that encrypted the value.</summary>
    public string? KmsKeyArn { get; init; }

    public DateTimeOffset? LastAccessedDate { get; init; }

    public bool HasValue => Kind is not null;
}

public enum SecretValueKind
{
    String,
    Binary,
}

public sealed record RotationRules(long? AutomaticallyAfterDays, string? Duration, string? ScheduleExpression);

/// <summary>A rotation window: rotation runs at its start, and at the latest before its end.</summary>
public sealed record RotationWindow(DateTimeOffset Start, DateTimeOffset End);

public static class SecretStages
{
    public const string Current = "AWSCURRENT";
    public const string Previous = "AWSPREVIOUS";
    public const string Pending = "AWSPENDING";
}

public static class SecretArns
{
    public static string Secret(string region, string account, string name, string suffix) =>
        Aws.Arn.For("secretsmanager", region, account, $"secret:{name}-{suffix}").ToString();
}
