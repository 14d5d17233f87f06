using Coffer.Core.Access;
using Coffer.Core.Aws;

namespace Coffer.Core.Kms;

public sealed partial class KeyService
{
    public Task CreateAliasAsync(Call call, string aliasName, string targetKeyId, CancellationToken ct)
    {
        ValidateAliasName(aliasName);
        var aliasArn = Arn.For("kms", call.Region, call.AccountId, aliasName).ToString();
        call.AddResource(aliasArn, "AWS::KMS::Alias");
        return audit.WriteChangeAsync(call, async (s, c) =>
        {
            var key = await ResolveKeyOnlyAsync(s, call, targetKeyId, c);
            RequireNotPendingDeletion(key);
            RequireCustomerManaged(key);
            await authorizer.AuthorizeAsync(call, new AccessRequest("kms:CreateAlias", aliasArn), s, c);
            await AuthorizeAsync(call, key, "kms:CreateAlias", within: s, ct: c);
            if (await s.Kms.FindAliasAsync(call.AccountId, call.Region, aliasName, c) is not null)
            {
                throw KmsErrors.AliasExists(aliasArn);
            }

            var now = time.GetUtcNow();
            await s.Kms.UpsertAliasAsync(new KmsAlias(call.AccountId, call.Region, aliasName, key.KeyId, now, now), c);
            return true;
        }, ct);
    }

    public Task UpdateAliasAsync(Call call, string aliasName, string targetKeyId, CancellationToken ct)
    {
        var aliasArn = Arn.For("kms", call.Region, call.AccountId, aliasName).ToString();
        call.AddResource(aliasArn, "AWS::KMS::Alias");
        return audit.WriteChangeAsync(call, async (s, c) =>
        {
            var alias = await s.Kms.FindAliasAsync(call.AccountId, call.Region, aliasName, c) ?? throw KmsErrors.AliasNotFound(aliasArn);
            if (IsReserved(aliasName))
            {
                throw KmsErrors.InvalidAliasName($"Alias {aliasName} is reserved for AWS managed keys and cannot be changed.");
            }

            var key = await ResolveKeyOnlyAsync(s, call, targetKeyId, c);
            RequireNotPendingDeletion(key);
            await authorizer.AuthorizeAsync(call, new AccessRequest("kms:UpdateAlias", aliasArn), s, c);
            var current = await s.Kms.FindKeyAsync(alias.TargetKeyId, alias.Region, c);
            if (current is not null)
            {
                await AuthorizeAsync(call, current, "kms:UpdateAlias", within: s, ct: c);
            }

            await AuthorizeAsync(call, key, "kms:UpdateAlias", within: s, ct: c);
            await s.Kms.UpsertAliasAsync(alias with { TargetKeyId = key.KeyId, LastUpdatedDate = time.GetUtcNow() }, c);
            return true;
        }, ct);
    }

    public Task DeleteAliasAsync(Call call, string aliasName, CancellationToken ct)
    {
        var aliasArn = Arn.For("kms", call.Region, call.AccountId, aliasName).ToString();
        call.AddResource(aliasArn, "AWS::KMS::Alias");
        return audit.WriteChangeAsync(call, async (s, c) =>
        {
            var alias = await s.Kms.FindAliasAsync(call.AccountId, call.Region, aliasName, c) ?? throw KmsErrors.AliasNotFound(aliasArn);
            if (IsReserved(aliasName))
            {
                throw KmsErrors.InvalidAliasName($"Alias {aliasName} is reserved for AWS managed keys and cannot be deleted.");
            }

            await authorizer.AuthorizeAsync(call, new AccessRequest("kms:DeleteAlias", aliasArn), s, c);
            if (await s.Kms.FindKeyAsync(alias.TargetKeyId, alias.Region, c) is { } key)
            {
                await AuthorizeAsync(call, key, "kms:DeleteAlias", within: s, ct: c);
            }

            await s.Kms.DeleteAliasAsync(call.AccountId, call.Region, aliasName, c);
            return true;
        }, ct);
    }

    /// <summary>Aliases in name order. Without a key, the predefined <c>alias/aws/NAME</c> aliases whose AWS managed
    /// key is not made yet are listed too, with no target, as AWS lists them.</summary>
    public async Task<Page<AliasEntry>> ListAliasesAsync(Call call, string? keyId, int? limit, string? marker, CancellationToken ct)
    {
        Guid? target = null;
        if (keyId is not null)
        {
            var key = await ResolveAsync(call, keyId, ct);
            target = key.KeyId;
            await AuthorizeAsync(call, key, "kms:ListAliases", ct: ct);
        }
        else
        {
            await authorizer.AuthorizeAsync(call, new AccessRequest("kms:ListAliases", "*"), cancellationToken: ct);
        }

        // Aliases of keys the caller may not describe are left out of the listing.
        var size = limit ?? 100;
        var entries = new List<AliasEntry>();
        var after = marker;
        while (entries.Count <= size)
        {
            var from = after;
            var batch = await store.ReadAsync((s, c) => s.Kms.ListAliasesAsync(call.AccountId, call.Region, target, from, size + 1, c), ct);
            foreach (var a in batch)
            {
                if (await store.ReadAsync((s, c) => s.Kms.FindKeyAsync(a.TargetKeyId, a.Region, c), ct) is { } key && await MayListAsync(call, key, ct))
                {
                    entries.Add(AliasEntry.From(a));
                }
            }

            if (batch.Count <= size)
            {
                break;
            }

            after = batch[^1].AliasName;
        }

        if (target is null)
        {
            entries = [.. entries.Concat(await UnusedPredefinedAliasesAsync(call, marker, ct)).OrderBy(e => e.AliasName, StringComparer.Ordinal)];
        }

        return entries.Count > size
            ? new Page<AliasEntry>([.. entries.Take(size)], entries[size - 1].AliasName)
            : new Page<AliasEntry>(entries, null);
    }

    /// <summary>The predefined aliases after <paramref name="marker"/> whose AWS managed key does not exist yet.</summary>
    private async ValueTask<List<AliasEntry>> UnusedPredefinedAliasesAsync(Call call, string? marker, CancellationToken ct)
    {
        var unused = new List<AliasEntry>();
        foreach (var name in AwsManagedServices.Select(service => "alias/aws/" + service).Where(name => string.CompareOrdinal(name, marker ?? "") > 0))
        {
            if (await store.ReadAsync((s, c) => s.Kms.FindAliasAsync(call.AccountId, call.Region, name, c), ct) is null)
            {
                unused.Add(new AliasEntry(name, Arn.For("kms", call.Region, call.AccountId, name).ToString(), null, null, null));
            }
        }

        return unused;
    }

    private static bool IsReserved(string aliasName) => aliasName.StartsWith("alias/aws/", StringComparison.Ordinal);

    /// <summary>AWS's alias name rules and wording: the <c>alias/</c> prefix, then letters, digits, '/', '_' and '-'.</summary>
    private static void ValidateAliasName(string aliasName)
    {
        if (!aliasName.StartsWith("alias/", StringComparison.Ordinal) || aliasName.Length == "alias/".Length)
        {
            throw KmsErrors.Validation("Alias must start with the prefix \"alias/\". Please see https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html");
        }

        if (aliasName.AsSpan("alias/".Length).ContainsAnyExcept(AliasCharacters))
        {
            throw KmsErrors.Validation($"{aliasName} contains invalid characters for an alias");
        }

        if (IsReserved(aliasName))
        {
            throw KmsErrors.InvalidAliasName("Alias must not begin with the prefix \"alias/aws/\": it is reserved for AWS managed keys.");
        }
    }

    private static readonly System.Buffers.SearchValues<char> AliasCharacters =
        System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/_-");
}

/// <summary>One alias as ListAliases shows it; a predefined alias not used yet has no target and no dates.</summary>
public sealed record AliasEntry(string AliasName, string AliasArn, Guid? TargetKeyId, DateTimeOffset? CreationDate, DateTimeOffset? LastUpdatedDate)
{
    public static AliasEntry From(KmsAlias alias) => new(alias.AliasName, alias.Arn, alias.TargetKeyId, alias.CreationDate, alias.LastUpdatedDate);
}
