using System.Text.Json.Serialization;
using Coffer.Core.Kms;
using Coffer.Core.Secrets;
using Coffer.Server.Aws.Protocol;

namespace Coffer.Server.Aws.SecretsManager;

/// <summary>The Secrets Manager wire shapes shared by several operations.</summary>
public sealed record Tag(string Key, string Value)
{
    public static List<ResourceTag> ToDomain(List<Tag>? tags) => [.. (tags ?? []).Select(t => new ResourceTag(t.Key, t.Value))];

    public static List<Tag>? FromDomain(IReadOnlyList<ResourceTag> tags) => tags.Count == 0 ? null : [.. tags.Select(t => new Tag(t.Key, t.Value))];
}

public sealed record RotationRulesType(long? AutomaticallyAfterDays, string? Duration, string? ScheduleExpression)
{
    public RotationRules ToDomain() => new(AutomaticallyAfterDays, Duration, ScheduleExpression);

    /// <summary>As AWS answers: AutomaticallyAfterDays is also given for schedules of whole days.</summary>
    public static RotationRulesType? FromDomain(RotationRules? rules) => rules is null ? null
        : new(rules.AutomaticallyAfterDays ?? RotationSchedule.Parse(rules)?.Days, rules.Duration, rules.ScheduleExpression);
}

public sealed record Filter(string? Key, List<string>? Values)
{
    public static List<SecretFilter>? ToDomain(List<Filter>? filters) => filters?.Select(f => new SecretFilter(f.Key, f.Values ?? [])).ToList();
}

public sealed record SecretIdRequest(string SecretId);

public sealed record ArnNameResponse(string ARN, string Name);

public sealed record ArnNameVersionResponse(string ARN, string Name, string? VersionId);

/// <summary>A secret's metadata: DescribeSecret's answer and a ListSecrets entry (which names its
/// version map SecretVersionsToStages). Only members that have a value are written, as AWS does.</summary>
public sealed record SecretDescription
{
    public required string ARN { get; init; }

    public required string Name { get; init; }

    public string? Description { get; init; }

    public string? KmsKeyId { get; init; }

    public bool? RotationEnabled { get; init; }

    public string? RotationLambdaARN { get; init; }

    public RotationRulesType? RotationRules { get; init; }

    public DateTimeOffset? LastRotatedDate { get; init; }

    public DateTimeOffset LastChangedDate { get; init; }

    public DateTimeOffset? LastAccessedDate { get; init; }

    public DateTimeOffset? DeletedDate { get; init; }

    public DateTimeOffset? NextRotationDate { get; init; }

    public List<Tag>? Tags { get; init; }

    public Dictionary<string, List<string>>? VersionIdsToStages { get; init; }

    public Dictionary<string, List<string>>? SecretVersionsToStages { get; init; }

    public DateTimeOffset CreatedDate { get; init; }

    public string? PrimaryRegion { get; init; }

    public List<ReplicationStatusEntry>? ReplicationStatus { get; init; }

    public static SecretDescription From(Secret s, bool listEntry)
    {
        // Members AWS leaves out are left out (issue 13): no empty version map, no empty tag list,
        // and no PrimaryRegion, which AWS gives only for a replicated secret (primary or replica).
        var stages = s.Versions.Where(v => v.Stages.Count > 0).ToDictionary(v => v.VersionId, v => v.Stages.ToList());
        if (stages.Count == 0)
        {
            stages = null;
        }

        var rotating = s.RotationEnabled == true;
        return new SecretDescription
        {
            ARN = s.Arn,
            Name = s.Name,
            Description = s.Description,
            KmsKeyId = s.KmsKeyId,
            RotationEnabled = s.RotationEnabled,
            RotationLambdaARN = s.RotationLambdaArn,
            RotationRules = RotationRulesType.FromDomain(s.RotationRules),
            LastRotatedDate = rotating ? s.LastRotatedDate : null,
            LastChangedDate = s.LastChangedDate,
            LastAccessedDate = s.LastAccessedDate,
            DeletedDate = s.DeletedDate,

            // AWS: rotation happens on or before this date, the end of the window (its last second).
            NextRotationDate = rotating ? s.NextRotation?.End.AddSeconds(-1) : null,
            Tags = Tag.FromDomain(s.Tags),
            VersionIdsToStages = listEntry ? null : stages,
            SecretVersionsToStages = listEntry ? stages : null,
            CreatedDate = s.CreatedDate,
            PrimaryRegion = s.PrimaryRegion,
            ReplicationStatus = listEntry || s.Replicas.Count == 0 ? null : ReplicationStatusEntry.From(s),
        };
    }
}

/// <summary>One replica of a primary secret, as DescribeSecret and the replication operations show it.</summary>
public sealed record ReplicationStatusEntry(string Region, string? KmsKeyId, string Status, string StatusMessage)
{
    public static List<ReplicationStatusEntry> From(Secret s) => [.. s.Replicas.Select(r => new ReplicationStatusEntry(r.Region, r.KmsKeyId, r.Status, r.StatusMessage))];
}

/// <summary>Source-generated serialization for every Secrets Manager request and response.</summary>
[JsonSourceGenerationOptions(
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters = [typeof(EpochSecondsConverter)])]
[JsonSerializable(typeof(Empty))]
[JsonSerializable(typeof(ReplicateSecretToRegionsRequest))]
[JsonSerializable(typeof(RemoveRegionsFromReplicationRequest))]
[JsonSerializable(typeof(ReplicationResponse))]
[JsonSerializable(typeof(SecretIdRequest))]
[JsonSerializable(typeof(ArnNameResponse))]
[JsonSerializable(typeof(ArnNameVersionResponse))]
[JsonSerializable(typeof(SecretDescription))]
[JsonSerializable(typeof(CreateSecretRequest))]
[JsonSerializable(typeof(CreateSecretResponse))]
[JsonSerializable(typeof(GetSecretValueRequest))]
[JsonSerializable(typeof(GetSecretValueResponse))]
[JsonSerializable(typeof(BatchGetSecretValueRequest))]
[JsonSerializable(typeof(BatchGetSecretValueResponse))]
[JsonSerializable(typeof(PutSecretValueRequest))]
[JsonSerializable(typeof(PutSecretValueResponse))]
[JsonSerializable(typeof(UpdateSecretRequest))]
[JsonSerializable(typeof(UpdateSecretVersionStageRequest))]
[JsonSerializable(typeof(ListSecretsRequest))]
[JsonSerializable(typeof(ListSecretsResponse))]
[JsonSerializable(typeof(ListSecretVersionIdsRequest))]
[JsonSerializable(typeof(ListSecretVersionIdsResponse))]
[JsonSerializable(typeof(DeleteSecretRequest))]
[JsonSerializable(typeof(DeleteSecretResponse))]
[JsonSerializable(typeof(GetRandomPasswordRequest))]
[JsonSerializable(typeof(GetRandomPasswordResponse))]
[JsonSerializable(typeof(TagResourceRequest))]
[JsonSerializable(typeof(UntagResourceRequest))]
[JsonSerializable(typeof(GetResourcePolicyResponse))]
[JsonSerializable(typeof(PutResourcePolicyRequest))]
[JsonSerializable(typeof(ValidateResourcePolicyRequest))]
[JsonSerializable(typeof(ValidateResourcePolicyResponse))]
[JsonSerializable(typeof(RotateSecretRequest))]
public sealed partial class SecretsManagerJson : JsonSerializerContext;
