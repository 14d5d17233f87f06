using System.Text;
using Coffer.Core.Access;
using Coffer.Core.Kms;
using Coffer.Core.Storage;

namespace Coffer.Core.Secrets;

public sealed record CreateSecretInput
{
    public required string Name { get; init; }

    public string? ClientRequestToken { get; init; }

    public string? Description { get; init; }

    public string? KmsKeyId { get; init; }

    public SecretValue? Value { get; init; }

    public IReadOnlyList<ResourceTag> Tags { get; init; } = [];

    /// <summary>AddReplicaRegions: replicas made with the secret, in the same transaction.</summary>
    public IReadOnlyList<ReplicaRegion> ReplicaRegions { get; init; } = [];

    public bool ForceOverwriteReplicaSecret { get; init; }
}

/// <summary>What a write of a value answers: the secret and the version it made (or found, when the request was a retry).</summary>
public sealed record VersionResult(string Arn, string Name, string? VersionId, IReadOnlyList<string> Stages)
{
    /// <summary>CreateSecret with AddReplicaRegions: the replicas' status.</summary>
    public IReadOnlyList<SecretReplica> Replicas { get; init; } = [];
}

public sealed record SecretValueResult(string Arn, string Name, string VersionId, SecretValue Value, IReadOnlyList<string> Stages, DateTimeOffset CreatedDate);

public sealed partial class SecretService
{
    /// <summary>AWS's limit on a value: 64 KB, as bytes (the model counts characters).</summary>
    public const int MaxValueBytes = 65536;

    public async Task<VersionResult> CreateSecretAsync(Call call, CreateSecretInput input, CancellationToken ct)
    {
        ValidateName(input.Name);
        ResourceTags.Validate(input.Tags, [], SecretsErrors.InvalidParameter);
        RequireValueSize(input.Value);
        var existing = await store.ReadAsync((s, ct) => s.Secrets.FindByNameAsync(call.AccountId, call.Region, input.Name, ct), ct);
        if (existing is not null)
        {
            return await RetriedCreateAsync(call, existing, input, ct);
        }

        var now = time.GetUtcNow();
        var secret = new Secret
        {
            AccountId = call.AccountId,
            Region = call.Region,
            Name = input.Name,
            Suffix = Identity.CredentialStore.RandomString("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", 6),
            Description = input.Description,
            KmsKeyId = string.IsNullOrEmpty(input.KmsKeyId) ? null : input.KmsKeyId,
            CreatedDate = now,
            LastChangedDate = now,
            Tags = input.Tags,
        };
        call.AddResource(secret.Arn, ResourceType);
        await authorizer.AuthorizeAsync(call, new AccessRequest("secretsmanager:CreateSecret", secret.Arn) { ConditionKeys = ResourceTags.RequestConditions(input.Tags) }, cancellationToken: ct);
        if (input.Tags.Count > 0)
        {
            await authorizer.AuthorizeAsync(call, new AccessRequest("secretsmanager:TagResource", secret.Arn) { ConditionKeys = ResourceTags.RequestConditions(input.Tags) }, cancellationToken: ct);
        }

        if (input.ReplicaRegions.Count > 0)
        {
            await authorizer.AuthorizeAsync(call, new AccessRequest("secretsmanager:ReplicateSecretToRegions", secret.Arn), cancellationToken: ct);
        }

        var versionId = input.Value is null ? null : input.ClientRequestToken ?? Guid.NewGuid().ToString();
        EncryptResult? encrypted = null;
        if (input.Value is not null)
        {
            encrypted = await EncryptAsync(call, secret.KmsKeyId, secret.Arn, versionId!, input.Value, ct);
            secret = secret with { Versions = [NewVersion(versionId!, now, [SecretStages.Current], input.Value.Kind, encrypted.KeyArn)] };
        }

        var created = await audit.WriteChangeAsync(call, async (s, ct) =>
        {
            if (await s.Secrets.FindByNameAsync(call.AccountId, call.Region, input.Name, ct) is { } taken)
            {
                throw taken.IsDeleted ? SecretsErrors.NameScheduledForDeletion() : SecretsErrors.Exists(input.Name);
            }

            var stored = input.ReplicaRegions.Count > 0 ? await AddReplicasAsync(s, secret, input.ReplicaRegions, input.ForceOverwriteReplicaSecret, ct) : secret;
            await s.Secrets.InsertAsync(stored, ct);
            if (encrypted is not null)
            {
                await s.Secrets.InsertValueAsync(secret.Arn, versionId!, encrypted.CiphertextBlob, ct);
            }

            return stored;
        }, ct);
        return new VersionResult(secret.Arn, secret.Name, versionId, versionId is null ? [] : [SecretStages.Current]) { Replicas = created.Replicas };
    }

    /// <summary>CreateSecret for a name that exists: a retry with the same token and value changes nothing; anything else is refused.</summary>
    private async Task<VersionResult> RetriedCreateAsync(Call call, Secret existing, CreateSecretInput input, CancellationToken ct)
    {
        if (existing.IsDeleted)
        {
            throw SecretsErrors.NameScheduledForDeletion();
        }

        await AuthorizeAsync(call, existing, "secretsmanager:CreateSecret", ct);
        if (input.ClientRequestToken is { } token && input.Value is not null && existing.FindVersion(token) is { HasValue: true } version
            && (await DecryptAsync(call, existing, version, ct)).SameAs(input.Value))
        {
            return new VersionResult(existing.Arn, existing.Name, token, version.Stages);
        }

        throw SecretsErrors.Exists(input.Name);
    }

    public async Task<VersionResult> PutSecretValueAsync(Call call, string secretId, string? clientRequestToken, SecretValue? value, IReadOnlyList<string>? versionStages, CancellationToken ct)
    {
        if (value is null)
        {
            throw SecretsErrors.NoValue();
        }

        RequireValueSize(value);
        var secret = await LoadAsync(call, secretId, "secretsmanager:PutSecretValue", ct);
        RequireNotDeleted(secret);
        var versionId = clientRequestToken ?? Guid.NewGuid().ToString();
        if (secret.FindVersion(versionId) is { HasValue: true } existing)
        {
            return (await DecryptAsync(call, secret, existing, ct)).SameAs(value)
                ? new VersionResult(secret.Arn, secret.Name, versionId, existing.Stages)
                : throw SecretsErrors.VersionExists(versionId, secret.Arn);
        }

        var encrypted = await EncryptAsync(call, secret.KmsKeyId, secret.Arn, versionId, value, ct);
        var updated = await UpdateAsync(call, secretId, "secretsmanager:PutSecretValue", (current, s, ct) =>
            AddValueAsync(s, current, versionId, value.Kind, encrypted, versionStages ?? [SecretStages.Current], ct), ct);
        return new VersionResult(updated.Arn, updated.Name, versionId, updated.FindVersion(versionId)!.Stages);
    }

    public async Task<VersionResult> UpdateSecretAsync(Call call, string secretId, string? clientRequestToken, string? description, string? kmsKeyId, SecretValue? value, CancellationToken ct)
    {
        RequireValueSize(value);
        var secret = await LoadAsync(call, secretId, "secretsmanager:UpdateSecret", ct);
        RequireNotDeleted(secret);
        var newKey = kmsKeyId is null ? secret.KmsKeyId : kmsKeyId.Length == 0 ? null : kmsKeyId;
        var versionId = value is null ? null : clientRequestToken ?? Guid.NewGuid().ToString();
        if (versionId is not null && secret.FindVersion(versionId) is { } existing)
        {
            // A retry with the same token and value is ignored, as in AWS (issue 13); the same token with another value is refused.
            if (!existing.HasValue || !(await DecryptAsync(call, secret, existing, ct)).SameAs(value!))
            {
                throw SecretsErrors.VersionExists(versionId, secret.Arn);
            }

            if (description is null && newKey == secret.KmsKeyId)
            {
                return new VersionResult(secret.Arn, secret.Name, versionId, existing.Stages);
            }

            var metadata = await UpdateSecretAsync(call, secretId, null, description, kmsKeyId, null, ct);
            return metadata with { VersionId = versionId, Stages = existing.Stages };
        }

        var reencrypted = newKey != secret.KmsKeyId ? await ReencryptLabeledAsync(call, secret, newKey, ct) : [];
        var encrypted = value is null ? null : await EncryptAsync(call, newKey, secret.Arn, versionId!, value, ct);
        var updated = await UpdateAsync(call, secretId, "secretsmanager:UpdateSecret", async (current, s, ct) =>
        {
            var next = current with { Description = description ?? current.Description, KmsKeyId = newKey, LastChangedDate = time.GetUtcNow() };
            foreach (var (id, result) in reencrypted)
            {
                if (next.FindVersion(id) is { } v)
                {
                    await s.Secrets.InsertValueAsync(next.Arn, id, result.CiphertextBlob, ct);
                    next = next with { Versions = [.. next.Versions.Select(x => x == v ? x with { KmsKeyArn = result.KeyArn } : x)] };
                }
            }

            return encrypted is null ? next : await AddValueAsync(s, next, versionId!, value!.Kind, encrypted, [SecretStages.Current], ct);
        }, ct);
        return new VersionResult(updated.Arn, updated.Name, versionId, versionId is null ? [] : updated.FindVersion(versionId)!.Stages);
    }

    /// <summary>As AWS does on a change of key: the versions labeled AWSCURRENT, AWSPENDING or AWSPREVIOUS are encrypted again under the new key.</summary>
    private async Task<List<(string VersionId, EncryptResult Result)>> ReencryptLabeledAsync(Call call, Secret secret, string? newKey, CancellationToken ct)
    {
        var results = new List<(string, EncryptResult)>();
        foreach (var version in secret.Versions.Where(v => v.HasValue && v.Stages.Any(st => st is SecretStages.Current or SecretStages.Pending or SecretStages.Previous)))
        {
            var plaintext = await DecryptAsync(call, secret, version, ct);
            results.Add((version.VersionId, await EncryptAsync(call, newKey, secret.Arn, version.VersionId, plaintext, ct)));
        }

        return results;
    }

    public async Task<SecretValueResult> GetSecretValueAsync(Call call, string secretId, string? versionId, string? versionStage, CancellationToken ct)
    {
        var secret = await LoadAsync(call, secretId, "secretsmanager:GetSecretValue", ct, versionStage ?? (versionId is null ? SecretStages.Current : null));
        RequireNotDeleted(secret);
        SecretVersion version;
        if (versionId is not null)
        {
            version = secret.FindVersion(versionId) ?? throw SecretsErrors.ValueNotFound("VersionId", versionId);
            if (versionStage is not null && !version.Stages.Contains(versionStage))
            {
                throw SecretsErrors.StageMismatch();
            }
        }
        else
        {
            var stage = versionStage ?? SecretStages.Current;
            version = secret.WithStage(stage) ?? throw SecretsErrors.ValueNotFound("staging label", stage);
        }

        if (!version.HasValue)
        {
            throw versionId is null ? SecretsErrors.ValueNotFound("staging label", versionStage ?? SecretStages.Current) : SecretsErrors.ValueNotFound("VersionId", versionId);
        }

        var value = await DecryptAsync(call, secret, version, ct);
        await NoteAccessAsync(secret, version, ct);
        return new SecretValueResult(secret.Arn, secret.Name, version.VersionId, value, version.Stages, version.CreatedDate);
    }

    /// <summary>Keeps LastAccessedDate, which AWS keeps to the day: at most one small write per secret per day.</summary>
    private async Task NoteAccessAsync(Secret secret, SecretVersion version, CancellationToken ct)
    {
        var today = new DateTimeOffset(time.GetUtcNow().UtcDateTime.Date, TimeSpan.Zero);
        if (secret.LastAccessedDate == today && version.LastAccessedDate == today)
        {
            return;
        }

        await store.WriteAsync(async (s, ct) =>
        {
            if (await s.Secrets.FindAsync(secret.Arn, ct) is { } current)
            {
                await s.Secrets.UpdateAsync(current with
                {
                    LastAccessedDate = today,
                    Versions = [.. current.Versions.Select(v => v.VersionId == version.VersionId ? v with { LastAccessedDate = today } : v)],
                }, ct);
            }

            return true;
        }, ct);
    }

    /// <summary>Adds a version with a value (or fills the value-less version a rotation registered), and moves its labels to it.</summary>
    private async ValueTask<Secret> AddValueAsync(IStoreSession s, Secret secret, string versionId, SecretValueKind kind, EncryptResult encrypted, IReadOnlyList<string> stages, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (secret.FindVersion(versionId) is { } existing && existing.HasValue)
        {
            throw SecretsErrors.VersionExists(versionId, secret.Arn);
        }

        var labels = secret.WithStage(SecretStages.Current) is null && !stages.Contains(SecretStages.Current) ? [.. stages, SecretStages.Current] : stages;
        var versions = secret.FindVersion(versionId) is { } placeholder
            ? secret.Versions.Select(v => v == placeholder ? v with { Kind = kind, KmsKeyArn = encrypted.KeyArn } : v).ToList()
            : [.. secret.Versions, NewVersion(versionId, now, [], kind, encrypted.KeyArn)];
        var updated = secret with { Versions = versions, LastChangedDate = now };
        foreach (var stage in labels.Distinct())
        {
            updated = MoveStage(updated, stage, versionId);
        }

        if (labels.Contains(SecretStages.Current) && updated is { RotationEnabled: true, RotationRules.AutomaticallyAfterDays: not null })
        {
            // With AutomaticallyAfterDays, AWS counts a new current value as a rotation for the schedule.
            updated = updated with { NextRotation = RotationSchedule.Parse(updated.RotationRules)?.NextWindow(now) };
        }

        await s.Secrets.InsertValueAsync(secret.Arn, versionId, encrypted.CiphertextBlob, ct);
        return await PruneAsync(s, updated, now, ct);
    }

    private static SecretVersion NewVersion(string versionId, DateTimeOffset now, IReadOnlyList<string> stages, SecretValueKind? kind, string? keyArn) =>
        new(versionId, now, stages) { Kind = kind, KmsKeyArn = keyArn };

    private static void RequireValueSize(SecretValue? value)
    {
        if (value is null)
        {
            return;
        }

        var size = value.Kind == SecretValueKind.String ? Encoding.UTF8.GetByteCount(value.Text!) : value.Binary!.Length;
        if (size > MaxValueBytes)
        {
            throw SecretsErrors.InvalidParameter($"The secret value is {size} bytes; a secret value can be at most {MaxValueBytes} bytes.");
        }
    }

    private static void ValidateName(string name)
    {
        if (name.Length > 256 || !name.All(c => char.IsAsciiLetterOrDigit(c) || "/_+=.@-!".Contains(c)))
        {
            throw SecretsErrors.InvalidName();
        }
    }
}
