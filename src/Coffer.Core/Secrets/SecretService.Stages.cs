using Coffer.Core.Storage;

namespace Coffer.Core.Secrets;

public sealed partial class SecretService
{
    /// <summary>AWS keeps the 100 most recent versions, and every version made in the last 24 hours.</summary>
    public const int MaxVersions = 100;
    public const int MaxStagesPerVersion = 20;
    private static readonly TimeSpan KeepDeprecatedFor = TimeSpan.FromHours(24);

    public Task<Secret> UpdateSecretVersionStageAsync(Call call, string secretId, string stage, string? removeFromVersionId, string? moveToVersionId, CancellationToken ct)
    {
        if (removeFromVersionId is null && moveToVersionId is null)
        {
            throw SecretsErrors.InvalidParameter("Specify MoveToVersionId to attach the staging label, RemoveFromVersionId to detach it, or both to move it.");
        }

        return UpdateAsync(call, secretId, "secretsmanager:UpdateSecretVersionStage", async (secret, s, ct) =>
        {
            var holder = secret.WithStage(stage);
            if (moveToVersionId is not null && secret.FindVersion(moveToVersionId) is null)
            {
                throw SecretsErrors.InvalidParameter($"Version {moveToVersionId} doesn't exist in secret {secret.Arn}.");
            }

            if (removeFromVersionId is not null && holder?.VersionId != removeFromVersionId)
            {
                throw SecretsErrors.InvalidParameter(holder is null
                    ? $"The staging label {stage} isn't attached to version {removeFromVersionId}."
                    : $"The staging label {stage} is attached to version {holder.VersionId}, not to the RemoveFromVersionId {removeFromVersionId}.");
            }

            if (moveToVersionId is not null && holder is not null && holder.VersionId != moveToVersionId && removeFromVersionId is null)
            {
                throw SecretsErrors.InvalidParameter($"The parameter RemoveFromVersionId can't be empty. Staging label {stage} is currently attached to version {holder.VersionId}, so you must explicitly reference that version in RemoveFromVersionId.");
            }

            if (stage == SecretStages.Current && moveToVersionId is null)
            {
                throw SecretsErrors.InvalidParameter("You can't remove the staging label AWSCURRENT without moving it to another version: a secret's current version must have it.");
            }

            if (stage == SecretStages.Current && !secret.FindVersion(moveToVersionId!)!.HasValue)
            {
                throw SecretsErrors.InvalidRequest($"Version {moveToVersionId} has no secret value yet, so it can't become AWSCURRENT.");
            }

            var now = time.GetUtcNow();
            var updated = MoveStage(secret, stage, moveToVersionId) with { LastChangedDate = now };
            return await PruneAsync(s, updated, now, ct);
        }, ct);
    }

    /// <summary>
    /// Attaches a staging label to one version (or to none), taking it from whichever version had it,
    /// as AWS moves labels: when AWSCURRENT moves, AWSPREVIOUS goes to the version it left.
    /// </summary>
    private static Secret MoveStage(Secret secret, string stage, string? toVersionId)
    {
        var from = secret.WithStage(stage);
        var versions = secret.Versions
            .Select(v => v with { Stages = [.. v.Stages.Where(x => x != stage), .. v.VersionId == toVersionId ? [stage] : Array.Empty<string>()] })
            .ToList();
        if (stage == SecretStages.Current && from is not null && toVersionId is not null && from.VersionId != toVersionId)
        {
            versions = [.. versions.Select(v => v with
            {
                Stages = [.. v.Stages.Where(x => x != SecretStages.Previous), .. v.VersionId == from.VersionId ? [SecretStages.Previous] : Array.Empty<string>()],
            })];
        }

        if (versions.FirstOrDefault(v => v.VersionId == toVersionId) is { Stages.Count: > MaxStagesPerVersion })
        {
            throw SecretsErrors.LimitExceeded($"A version can have at most {MaxStagesPerVersion} staging labels.");
        }

        return secret with { Versions = versions };
    }

    /// <summary>
    /// Deletes deprecated versions (no staging label) beyond AWS's 100, oldest first, keeping every
    /// version younger than 24 hours; refuses the change when that cannot bring the count down.
    /// </summary>
    private static ValueTask<Secret> PruneAsync(IStoreSession s, Secret secret, DateTimeOffset now, CancellationToken ct) =>
        secret.Versions.Count <= MaxVersions ? new ValueTask<Secret>(secret) : PruneOverLimitAsync(s, secret, now, ct);

    private static async ValueTask<Secret> PruneOverLimitAsync(IStoreSession s, Secret secret, DateTimeOffset now, CancellationToken ct)
    {

        var removable = secret.Versions
            .Where(v => v.Stages.Count == 0 && v.CreatedDate <= now - KeepDeprecatedFor)
            .OrderBy(v => v.CreatedDate)
            .Take(secret.Versions.Count - MaxVersions)
            .ToList();
        if (secret.Versions.Count - removable.Count > MaxVersions)
        {
            throw SecretsErrors.LimitExceeded($"The secret has {MaxVersions} versions, the most it can have; versions without staging labels are removed once they are 24 hours old.");
        }

        foreach (var version in removable)
        {
            await s.Secrets.DeleteValueAsync(secret.Arn, version.VersionId, ct);
        }

        return secret with { Versions = [.. secret.Versions.Except(removable)] };
    }
}
