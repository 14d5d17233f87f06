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
        var owner = KeyOwner(call, userName, "iam:CreateAccessKey");
        return await ChangeAsync(call, s =>
        {
            if (userName is not null)
            {
                Require(s, call, IamEntityKind.User, userName);
            }

            if (LongTermKeys(s.AccessKeys.ListForOwner(call.AccountId, owner.Arn)).Count() >= MaxAccessKeys)
            {
                throw IdentityErrors.LimitExceeded($"Cannot exceed quota for AccessKeysPerUser: {MaxAccessKeys}");
            }

            var (record, secret) = credentials.Create("AKIA", call.AccountId, owner.Type, owner.Arn, owner.Id, owner.Name, time.GetUtcNow());
            s.AccessKeys.Insert(record);
            return new NewAccessKey(record, secret);
        }, ct);
    }

    public IamPage<AccessKeyRecord> ListAccessKeys(Call call, string? userName, string? marker, int? maxItems)
    {
        var owner = KeyOwner(call, userName, "iam:ListAccessKeys");
        return Page([.. LongTermKeys(store.Read(s => s.AccessKeys.ListForOwner(call.AccountId, owner.Arn)))], marker, maxItems);
    }

    public async Task UpdateAccessKeyAsync(Call call, string? userName, string accessKeyId, string status, CancellationToken ct)
    {
        var owner = KeyOwner(call, userName, "iam:UpdateAccessKey");
        try
        {
            await ChangeAsync(call, s =>
            {
                s.AccessKeys.Update(OwnedKey(s, owner.Arn, accessKeyId) with { Status = status });
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
        var owner = KeyOwner(call, userName, "iam:DeleteAccessKey");
        try
        {
            await ChangeAsync(call, s =>
            {
                s.AccessKeys.Delete(OwnedKey(s, owner.Arn, accessKeyId).AccessKeyId);
                return true;
            }, ct);
        }
        finally
        {
            credentials.Evict(accessKeyId);
        }
    }

    /// <summary>Whose keys a call means: the named user's, else the caller's own (a user's or the root's), authorized.</summary>
    private (string Arn, string Id, string? Name, PrincipalType Type) KeyOwner(Call call, string? userName, string action)
    {
        if (userName is not null)
        {
            var user = Load(call, IamEntityKind.User, userName, action);
            return (user.Arn, user.Id, user.Name, PrincipalType.IamUser);
        }

        var caller = call.Principal;
        if (caller.Type is not (PrincipalType.IamUser or PrincipalType.Root))
        {
            throw IdentityErrors.Validation("Must specify userName when calling with non-User credentials");
        }

        Authorize(call, action, caller.Arn, caller.IsRoot ? "AWS::IAM::Root" : "AWS::IAM::User");
        return (caller.Arn, caller.PrincipalId, caller.Name, caller.Type);
    }

    private static AccessKeyRecord OwnedKey(Storage.IStoreSession s, string ownerArn, string accessKeyId) =>
        s.AccessKeys.Find(accessKeyId) is { SessionTokenHash: null } key && key.OwnerArn == ownerArn
            ? key
            : throw IdentityErrors.NoSuchEntity($"The Access Key with id {accessKeyId} cannot be found");

    private static IEnumerable<AccessKeyRecord> LongTermKeys(IEnumerable<AccessKeyRecord> keys) => keys.Where(k => k.SessionTokenHash is null);
}
