using Coffer.Core.Identity;
using System.Data.Common;

namespace Coffer.Storage.Sql;

internal sealed class AccessKeyRepository(SqlSession session) : IAccessKeyRepository
{
    private const string Columns = "access_key_id, account_id, owner_type, owner_arn, owner_id, owner_name, wrapped_secret, status, created_at, session_token_hash, expires_at, role_arn, session_policy";

    public async ValueTask<AccessKeyRecord?> FindAsync(string accessKeyId, CancellationToken cancellationToken)
    {
        await using var reader = await session.Command($"SELECT {Columns} FROM access_keys WHERE access_key_id = $id").With("$id", accessKeyId).ReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Map(reader) : null;
    }

    public async ValueTask<IReadOnlyList<AccessKeyRecord>> ListForOwnerAsync(string accountId, string ownerArn, CancellationToken cancellationToken)
    {
        await using var reader = await session.Command($"SELECT {Columns} FROM access_keys WHERE account_id = $a AND owner_arn = $o ORDER BY created_at, access_key_id")
            .With("$a", accountId).With("$o", ownerArn).ReaderAsync(cancellationToken);
        var list = new List<AccessKeyRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(Map(reader));
        }

        return list;
    }

    public async ValueTask InsertAsync(AccessKeyRecord record, CancellationToken cancellationToken) =>
        await InsertCommand(record).NonQueryAsync(cancellationToken);

    public async ValueTask UpdateAsync(AccessKeyRecord record, CancellationToken cancellationToken) =>
        await Bind(session.Command("UPDATE access_keys SET account_id = $account, owner_type = $type, owner_arn = $arn, owner_id = $oid, owner_name = $name, wrapped_secret = $secret, status = $status, created_at = $created, session_token_hash = $token, expires_at = $expires, role_arn = $role, session_policy = $policy WHERE access_key_id = $id"), record)
            .NonQueryAsync(cancellationToken);

    public async ValueTask DeleteAsync(string accessKeyId, CancellationToken cancellationToken) =>
        await session.Command("DELETE FROM access_keys WHERE access_key_id = $id").With("$id", accessKeyId).NonQueryAsync(cancellationToken);

    public async ValueTask<int> DeleteExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        await session.Command("DELETE FROM access_keys WHERE expires_at IS NOT NULL AND expires_at < $now").With("$now", now.ToUnixMs()).NonQueryAsync(cancellationToken);

    private DbCommand InsertCommand(AccessKeyRecord r) =>
        Bind(session.Command($"INSERT INTO access_keys ({Columns}) VALUES ($id, $account, $type, $arn, $oid, $name, $secret, $status, $created, $token, $expires, $role, $policy)"), r);

    private static DbCommand Bind(DbCommand cmd, AccessKeyRecord r) => cmd
        .With("$id", r.AccessKeyId)
        .With("$account", r.AccountId)
        .With("$type", r.OwnerType.ToString())
        .With("$arn", r.OwnerArn)
        .With("$oid", r.OwnerId)
        .With("$name", r.OwnerName)
        .With("$secret", r.WrappedSecret)
        .With("$status", r.Status)
        .With("$created", r.CreateDate.ToUnixMs())
        .With("$token", r.SessionTokenHash)
        .With("$expires", r.Expiration.ToUnixMs())
        .With("$role", r.RoleArn)
        .With("$policy", r.SessionPolicy);

    private static AccessKeyRecord Map(DbDataReader r) => new()
    {
        AccessKeyId = r.GetString(0),
        AccountId = r.GetString(1),
        OwnerType = Enum.Parse<PrincipalType>(r.GetString(2)),
        OwnerArn = r.GetString(3),
        OwnerId = r.GetString(4),
        OwnerName = r.GetNullableString(5),
        WrappedSecret = (byte[])r[6],
        Status = r.GetString(7),
        CreateDate = SqlExtensions.FromUnixMs(r.GetInt64(8)),
        SessionTokenHash = r.GetNullableBytes(9),
        Expiration = r.GetNullableInt64(10) is { } e ? SqlExtensions.FromUnixMs(e) : null,
        RoleArn = r.GetNullableString(11),
        SessionPolicy = r.GetNullableString(12),
    };
}
