namespace Coffer.Core.Identity;

/// <summary>A new access key with its secret, which is returned this once and never again.</summary>
public sealed record NewAccessKey(AccessKeyRecord Record, string SecretAccessKey)
{
    public override string ToString() => $"NewAccessKey {{ AccessKeyId = {Record.AccessKeyId}, SecretAccessKey = (redacted) }}";
}

public sealed partial class IdentityService
{
    private const int MaxAccessKeys = 2;

    public async Task<NewAccessKey> CreateAccessKeyAsync(Call call, string? userName, CancellationToken ct)
    {
        var owner = await KeyOwnerAsync(call, userName, "iam:CreateAccessKey", ct);
        return await ChangeAsync(call, async (s, ct) =>
        {
            if (userName is not null)
            {
                await RequireAsync(s, call, IamEntityKind.User, userName, ct);
            }

            if (LongTermKeys(await s.AccessKeys.ListForOwnerAsync(call.AccountId, owner.Arn, ct)).Count() >= MaxAccessKeys)
            {
                throw IdentityErrors.LimitExceeded($"Cannot exceed quota for AccessKeysPerUser: {MaxAccessKeys}");
            }

            var (record, secret) = credentials.Create("AKIA", call.AccountId, owner.Type, owner.Arn, owner.Id, owner.Name, time.GetUtcNow());
            await s.AccessKeys.InsertAsync(record, ct);
            return new NewAccessKey(record, secret);
        }, ct);
    }

    public async Task<IamPage<AccessKeyRecord>> ListAccessKeysAsync(Call call, string? userName, string? marker, int? maxItems, CancellationToken ct)
    {
        var owner = await KeyOwnerAsync(call, userName, "iam:ListAccessKeys", ct);
        return Page([.. LongTermKeys(await store.ReadAsync((s, ct) => s.AccessKeys.ListForOwnerAsync(call.AccountId, owner.Arn, ct), ct))], marker, maxItems);
    }

    public async Task UpdateAccessKeyAsync(Call call, string? userName, string accessKeyId, string status, CancellationToken ct)
    {
        var owner = await KeyOwnerAsync(call, userName, "iam:UpdateAccessKey", ct);
        try
        {
            await ChangeAsync(call, async (s, ct) =>
            {
                await s.AccessKeys.UpdateAsync(await OwnedKeyAsync(s, owner.Arn, accessKeyId, ct) with { Status = status }, ct);
                return true;
            }, ct);
        }
        finally
        {
            credentials.Evict(accessKeyId);
        }
    }

    public async Task DeleteAccessKeyAsync(Call call, string? userName, string accessKeyId, CancellationToken ct)
    {
        var owner = await KeyOwnerAsync(call, userName, "iam:DeleteAccessKey", ct);
        try
        {
            await ChangeAsync(call, async (s, ct) =>
            {
                await s.AccessKeys.DeleteAsync((await OwnedKeyAsync(s, owner.Arn, accessKeyId, ct)).AccessKeyId, ct);
                return true;
            }, ct);
        }
        finally
        {
            credentials.Evict(accessKeyId);
        }
    }

    /// <summary>Whose keys a call means: the named user's, else the caller's own (a user's or the root's), authorized.</summary>
    private async ValueTask<(string Arn, string Id, string? Name, PrincipalType Type)> KeyOwnerAsync(Call call, string? userName, string action, CancellationToken ct)
    {
        if (userName is not null)
        {
            var user = await LoadAsync(call, IamEntityKind.User, userName, action, ct);
            return (user.Arn, user.Id, user.Name, PrincipalType.IamUser);
        }

        var caller = call.Principal;
        if (caller.Type is not (PrincipalType.IamUser or PrincipalType.Root))
        {
            throw IdentityErrors.Validation("Must specify userName when calling with non-User credentials");
        }

        await AuthorizeAsync(call, action, caller.Arn, caller.IsRoot ? "AWS::IAM::Root" : "AWS::IAM::User", null, ct);
        return (caller.Arn, caller.PrincipalId, caller.Name, caller.Type);
    }

    private static async ValueTask<AccessKeyRecord> OwnedKeyAsync(Storage.IStoreSession s, string ownerArn, string accessKeyId, CancellationToken ct) =>
        await s.AccessKeys.FindAsync(accessKeyId, ct) is { SessionTokenHash: null } key && key.OwnerArn == ownerArn
            ? key
            : throw IdentityErrors.NoSuchEntity($"The Access Key with id {accessKeyId} cannot be found");

    private static IEnumerable<AccessKeyRecord> LongTermKeys(IEnumerable<AccessKeyRecord> keys) => keys.Where(k => k.SessionTokenHash is null);
}
