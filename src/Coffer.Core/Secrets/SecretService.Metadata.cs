using System.Globalization;
using Coffer.Core.Access;
using Coffer.Core.Kms;

namespace Coffer.Core.Secrets;

public sealed record ListSecretsInput(bool IncludePlannedDeletion, int? MaxResults, string? NextToken, IReadOnlyList<SecretFilter> Filters, string? SortBy, string? SortOrder);

public sealed record DeleteSecretResult(string Arn, string Name, DateTimeOffset DeletionDate);

public sealed partial class SecretService
{
    public async Task<Secret> DescribeSecretAsync(Call call, string secretId, CancellationToken ct) =>
        await LoadAsync(call, secretId, "secretsmanager:DescribeSecret", ct);

    /// <summary>Lists secrets the caller may describe, filtered, sorted and paged.</summary>
    public async Task<Page<Secret>> ListSecretsAsync(Call call, ListSecretsInput input, CancellationToken ct)
    {
        await authorizer.AuthorizeAsync(call, new AccessRequest("secretsmanager:ListSecrets", "*"), cancellationToken: ct);
        var secrets = await VisibleAsync(call, input.Filters, input.IncludePlannedDeletion, ct);
        Func<Secret, object?> key = input.SortBy switch
        {
            "name" => s => s.Name,
            "last-accessed-date" => s => s.LastAccessedDate,
            "last-changed-date" => s => s.LastChangedDate,
            _ => s => s.CreatedDate,
        };
        var sorted = input.SortOrder == "desc"
            ? secrets.OrderByDescending(key).ThenByDescending(s => s.Name, StringComparer.Ordinal)
            : secrets.OrderBy(key).ThenBy(s => s.Name, StringComparer.Ordinal);
        return PageOf([.. sorted], input.MaxResults ?? 100, input.NextToken);
    }

    /// <summary>The secrets a listing shows (ListSecrets, and BatchGetSecretValue by filter): those that match
    /// the filters and that the caller may describe, so that no listing names a secret hidden from the caller.</summary>
    private async Task<List<Secret>> VisibleAsync(Call call, IReadOnlyList<SecretFilter> filters, bool includeDeleted, CancellationToken ct)
    {
        SecretFilter.Validate(filters);
        var rows = await store.ReadAsync(
            async (s, ct) =>
            {
                var viewed = new List<Secret>();
                foreach (var row in await s.Secrets.ListAsync(call.AccountId, call.Region, ct))
                {
                    viewed.Add((await ViewAsync(s, row, ct))!);
                }

                return viewed;
            },
            ct);
        var visible = new List<Secret>();
        foreach (var secret in rows.Where(s => (includeDeleted || !s.IsDeleted) && filters.All(f => f.Matches(s))))
        {
            if (await authorizer.IsAllowedAsync(call, Request(secret, "secretsmanager:DescribeSecret"), cancellationToken: ct))
            {
                visible.Add(secret);
            }
        }

        return visible;
    }

    public async Task<(Secret Secret, Page<SecretVersion> Versions)> ListSecretVersionIdsAsync(Call call, string secretId, int? maxResults, string? nextToken, bool includeDeprecated, CancellationToken ct)
    {
        var secret = await LoadAsync(call, secretId, "secretsmanager:ListSecretVersionIds", ct);
        var versions = secret.Versions.Where(v => includeDeprecated || v.Stages.Count > 0).OrderByDescending(v => v.CreatedDate).ToList();
        return (secret, PageOf(versions, maxResults ?? 100, nextToken));
    }

    public async Task<DeleteSecretResult> DeleteSecretAsync(Call call, string secretId, long? recoveryWindowInDays, bool forceDeleteWithoutRecovery, CancellationToken ct)
    {
        if (recoveryWindowInDays is not null && forceDeleteWithoutRecovery)
        {
            throw SecretsErrors.InvalidParameter("You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.");
        }

        if (recoveryWindowInDays is < 7 or > 30)
        {
            throw SecretsErrors.InvalidParameter("The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).");
        }

        var now = time.GetUtcNow();
        if (forceDeleteWithoutRecovery && await store.ReadAsync((s, ct) => TryFindAsync(s, call, secretId, ct), ct) is null)
        {
            // Authorized as for a secret of that name, so the answer tells a denied caller nothing.
            await authorizer.AuthorizeAsync(call, Absent(call, secretId, "secretsmanager:DeleteSecret", null), cancellationToken: ct);
            // As AWS does: forcing the deletion of a secret that does not exist is not an error.
            return new DeleteSecretResult(Aws.Arn.For("secretsmanager", call.Region, call.AccountId, "secret:" + secretId).ToString(), secretId, now);
        }

        if (forceDeleteWithoutRecovery)
        {
            var gone = await audit.WriteChangeAsync(call, async (s, ct) =>
            {
                var current = await LoadAsync(s, call, secretId, "secretsmanager:DeleteSecret", ct);
                RequireNoReplicas(current);
                await s.Secrets.DeleteAsync(current.Arn, ct);
                return current;
            }, ct);
            return new DeleteSecretResult(gone.Arn, gone.Name, now);
        }

        var deletionDate = now.AddDays(recoveryWindowInDays ?? 30);
        var secret = await UpdateAsync(call, secretId, "secretsmanager:DeleteSecret", current =>
        {
            RequireNoReplicas(current);
            return current with { DeletedDate = now, DeletionDate = deletionDate };
        }, ct);
        return new DeleteSecretResult(secret.Arn, secret.Name, deletionDate);
    }

    public Task<Secret> RestoreSecretAsync(Call call, string secretId, CancellationToken ct) =>
        UpdateAsync(call, secretId, "secretsmanager:RestoreSecret", secret => secret with { DeletedDate = null, DeletionDate = null }, ct, allowDeleted: true);

    public Task<Secret> TagResourceAsync(Call call, string secretId, IReadOnlyList<ResourceTag> tags, CancellationToken ct) =>
        UpdateAsync(call, secretId, "secretsmanager:TagResource", secret =>
        {
            var merged = secret.Tags.Where(t => tags.All(n => n.Key != t.Key)).Concat(tags).ToList();
            ResourceTags.Validate(tags, merged, SecretsErrors.InvalidParameter);
            return secret with { Tags = merged, LastChangedDate = time.GetUtcNow() };
        }, ct);

    public Task<Secret> UntagResourceAsync(Call call, string secretId, IReadOnlyList<string> tagKeys, CancellationToken ct) =>
        UpdateAsync(call, secretId, "secretsmanager:UntagResource", secret =>
            secret with { Tags = [.. secret.Tags.Where(t => !tagKeys.Contains(t.Key))], LastChangedDate = time.GetUtcNow() }, ct);

    public async Task<Secret> GetResourcePolicyAsync(Call call, string secretId, CancellationToken ct) =>
        await LoadAsync(call, secretId, "secretsmanager:GetResourcePolicy", ct);

    public Task<Secret> PutResourcePolicyAsync(Call call, string secretId, string policy, bool blockPublicPolicy, CancellationToken ct)
    {
        ValidatePolicy(policy);
        if (blockPublicPolicy && ResourcePolicies.IsPublic(policy))
        {
            throw SecretsErrors.PublicPolicy();
        }

        return UpdateAsync(call, secretId, "secretsmanager:PutResourcePolicy", secret => secret with { ResourcePolicy = policy, LastChangedDate = time.GetUtcNow() }, ct);
    }

    public Task<Secret> DeleteResourcePolicyAsync(Call call, string secretId, CancellationToken ct) =>
        UpdateAsync(call, secretId, "secretsmanager:DeleteResourcePolicy", secret => secret with { ResourcePolicy = null, LastChangedDate = time.GetUtcNow() }, ct);

    /// <summary>ValidateResourcePolicy: a policy that is not JSON is malformed; otherwise the answer lists what fails.</summary>
    public async Task<IReadOnlyList<(string CheckName, string Message)>> ValidateResourcePolicyAsync(Call call, string? secretId, string policy, CancellationToken ct)
    {
        if (secretId is not null)
        {
            await LoadAsync(call, secretId, "secretsmanager:ValidateResourcePolicy", ct);
        }
        else
        {
            await authorizer.AuthorizeAsync(call, new AccessRequest("secretsmanager:ValidateResourcePolicy", "*"), cancellationToken: ct);
        }

        return ResourcePolicies.Validate(policy);
    }

    private static void ValidatePolicy(string policy)
    {
        foreach (var (check, message) in ResourcePolicies.Validate(policy))
        {
            if (check == ResourcePolicies.SyntaxCheck)
            {
                throw SecretsErrors.MalformedPolicy(message);
            }
        }
    }

    /// <summary>Pages through a list; the token is the index of the next item, as text.</summary>
    private static Page<T> PageOf<T>(IReadOnlyList<T> items, int limit, string? token)
    {
        var start = 0;
        if (token is not null && (!int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out start) || start > items.Count))
        {
            throw SecretsErrors.InvalidNextToken();
        }

        var page = items.Skip(start).Take(limit).ToList();
        var next = start + page.Count < items.Count ? (start + page.Count).ToString(CultureInfo.InvariantCulture) : null;
        return new Page<T>(page, next);
    }
}
