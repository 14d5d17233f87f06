using System.Data.Common;
using Coffer.Core.Kms;
using Coffer.Storage.Sql.Documents;

namespace Coffer.Storage.Sql;

internal sealed class KmsRepository(SqlSession session) : IKmsRepository
{
    private const string FindKeySql = "SELECT doc FROM kms_keys WHERE key_id = $id AND region = $r";

    public ValueTask<KmsKey?> FindKeyAsync(Guid keyId, string region, CancellationToken cancellationToken) =>
        session.Command(FindKeySql).With("$id", keyId.ToString("D")).With("$r", region).ReadDocAsync(KmsKeyDoc.Read, cancellationToken);

    public async ValueTask<IReadOnlyList<KmsKey>> ListKeyRegionsAsync(Guid keyId, CancellationToken cancellationToken) =>
        await session.Command("SELECT doc FROM kms_keys WHERE key_id = $id ORDER BY region").With("$id", keyId.ToString("D")).ReadDocsAsync(KmsKeyDoc.Read, cancellationToken);

    public async ValueTask<IReadOnlyList<KmsKey>> ListKeysAsync(string accountId, string region, Guid? after, int limit, CancellationToken cancellationToken)
    {
        var cmd = session.Command("SELECT doc FROM kms_keys WHERE account_id = $a AND region = $r AND key_id > $after ORDER BY key_id LIMIT $limit")
            .With("$a", accountId).With("$r", region).With("$after", after?.ToString("D") ?? "").With("$limit", limit);
        return await cmd.ReadDocsAsync(KmsKeyDoc.Read, cancellationToken);
    }

    public async ValueTask InsertKeyAsync(KmsKey key, CancellationToken cancellationToken) =>
        await session.Command("INSERT INTO kms_keys (key_id, account_id, region, due_at, doc) VALUES ($id, $a, $r, $due, $doc)")
            .With("$id", key.KeyId.ToString("D")).With("$a", key.AccountId).With("$r", key.Region)
            .With("$due", DueAt(key)).With("$doc", KmsKeyDoc.Write(key)).NonQueryAsync(cancellationToken);

    public async ValueTask UpdateKeyAsync(KmsKey key, CancellationToken cancellationToken) =>
        await session.Command("UPDATE kms_keys SET due_at = $due, doc = $doc WHERE key_id = $id AND region = $r")
            .With("$id", key.KeyId.ToString("D")).With("$r", key.Region).With("$due", DueAt(key)).With("$doc", KmsKeyDoc.Write(key)).NonQueryAsync(cancellationToken);

    public async ValueTask DeleteKeyAsync(Guid keyId, string region, CancellationToken cancellationToken)
    {
        var id = keyId.ToString("D");
        await session.Command("DELETE FROM kms_aliases WHERE target_key_id = $id AND region = $r").With("$id", id).With("$r", region).NonQueryAsync(cancellationToken);
        await session.Command("DELETE FROM kms_grants WHERE key_id = $id AND region = $r").With("$id", id).With("$r", region).NonQueryAsync(cancellationToken);
        await session.Command("DELETE FROM kms_keys WHERE key_id = $id AND region = $r").With("$id", id).With("$r", region).NonQueryAsync(cancellationToken);
        await session.Command("DELETE FROM kms_key_material WHERE key_id = $id AND NOT EXISTS (SELECT 1 FROM kms_keys WHERE key_id = $id)").With("$id", id).NonQueryAsync(cancellationToken);
    }

    public async ValueTask<byte[]?> FindMaterialAsync(Guid keyId, int version, CancellationToken cancellationToken) =>
        await session.Command("SELECT wrapped_material FROM kms_key_material WHERE key_id = $id AND version = $v")
            .With("$id", keyId.ToString("D")).With("$v", version).ScalarAsync(cancellationToken) as byte[];

    public async ValueTask InsertMaterialAsync(Guid keyId, int version, byte[] wrappedMaterial, DateTimeOffset createdAt, CancellationToken cancellationToken) =>
        await session.Command("INSERT INTO kms_key_material (key_id, version, wrapped_material, created_at) VALUES ($id, $v, $m, $t)")
            .With("$id", keyId.ToString("D")).With("$v", version).With("$m", wrappedMaterial).With("$t", createdAt.ToUnixMs()).NonQueryAsync(cancellationToken);

    public async ValueTask DeleteMaterialAsync(Guid keyId, CancellationToken cancellationToken) =>
        await session.Command("DELETE FROM kms_key_material WHERE key_id = $id").With("$id", keyId.ToString("D")).NonQueryAsync(cancellationToken);

    public async ValueTask<KmsAlias?> FindAliasAsync(string accountId, string region, string aliasName, CancellationToken cancellationToken)
    {
        await using var reader = await session.Command("SELECT account_id, region, alias_name, target_key_id, created_at, updated_at FROM kms_aliases WHERE account_id = $a AND region = $r AND alias_name = $n")
            .With("$a", accountId).With("$r", region).With("$n", aliasName).ReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? MapAlias(reader) : null;
    }

    public async ValueTask<IReadOnlyList<KmsAlias>> ListAliasesAsync(string accountId, string region, Guid? keyId, string? afterName, int limit, CancellationToken cancellationToken)
    {
        var sql = keyId is null
            ? "SELECT account_id, region, alias_name, target_key_id, created_at, updated_at FROM kms_aliases WHERE account_id = $a AND region = $r AND alias_name > $after ORDER BY alias_name LIMIT $limit"
            : "SELECT account_id, region, alias_name, target_key_id, created_at, updated_at FROM kms_aliases WHERE account_id = $a AND region = $r AND target_key_id = $k AND alias_name > $after ORDER BY alias_name LIMIT $limit";
        var cmd = session.Command(sql).With("$a", accountId).With("$r", region).With("$after", afterName ?? "").With("$limit", limit);
        if (keyId is not null)
        {
            cmd.With("$k", keyId.Value.ToString("D"));
        }

        await using var reader = await cmd.ReaderAsync(cancellationToken);
        var list = new List<KmsAlias>();
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(MapAlias(reader));
        }

        return list;
    }

    public async ValueTask UpsertAliasAsync(KmsAlias alias, CancellationToken cancellationToken) =>
        await session.Command("""
            INSERT INTO kms_aliases (account_id, region, alias_name, target_key_id, created_at, updated_at) VALUES ($a, $r, $n, $k, $c, $u)
            ON CONFLICT (account_id, region, alias_name) DO UPDATE SET target_key_id = excluded.target_key_id, updated_at = excluded.updated_at
            """)
            .With("$a", alias.AccountId).With("$r", alias.Region).With("$n", alias.AliasName).With("$k", alias.TargetKeyId.ToString("D"))
            .With("$c", alias.CreationDate.ToUnixMs()).With("$u", alias.LastUpdatedDate.ToUnixMs()).NonQueryAsync(cancellationToken);

    public async ValueTask DeleteAliasAsync(string accountId, string region, string aliasName, CancellationToken cancellationToken) =>
        await session.Command("DELETE FROM kms_aliases WHERE account_id = $a AND region = $r AND alias_name = $n")
            .With("$a", accountId).With("$r", region).With("$n", aliasName).NonQueryAsync(cancellationToken);

    public async ValueTask<IReadOnlyList<KmsKey>> FindDueAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken) =>
        await session.Command("SELECT doc FROM kms_keys WHERE due_at IS NOT NULL AND due_at <= $now ORDER BY due_at LIMIT $limit")
            .With("$now", now.ToUnixMs()).With("$limit", limit).ReadDocsAsync(KmsKeyDoc.Read, cancellationToken);

    public async ValueTask<IReadOnlyList<KmsGrant>> ListGrantsAsync(Guid keyId, CancellationToken cancellationToken) =>
        await session.Command("SELECT doc FROM kms_grants WHERE key_id = $id ORDER BY created_at, grant_id").With("$id", keyId.ToString("D")).ReadDocsAsync(KmsGrantDoc.Read, cancellationToken);

    public async ValueTask<IReadOnlyList<KmsGrant>> ListRetirableGrantsAsync(string accountId, string region, string retiringPrincipal, CancellationToken cancellationToken) =>
        await session.Command("SELECT doc FROM kms_grants WHERE account_id = $a AND region = $r AND retiring_principal = $p ORDER BY created_at, grant_id")
            .With("$a", accountId).With("$r", region).With("$p", retiringPrincipal).ReadDocsAsync(KmsGrantDoc.Read, cancellationToken);

    public async ValueTask InsertGrantAsync(KmsGrant grant, CancellationToken cancellationToken) =>
        await session.Command("INSERT INTO kms_grants (grant_id, key_id, account_id, region, retiring_principal, created_at, doc) VALUES ($g, $k, $a, $r, $p, $t, $doc)")
            .With("$g", grant.GrantId).With("$k", grant.KeyId.ToString("D")).With("$a", grant.AccountId).With("$r", grant.Region)
            .With("$p", grant.RetiringPrincipal).With("$t", grant.CreationDate.ToUnixMs())
            .With("$doc", KmsGrantDoc.Write(grant)).NonQueryAsync(cancellationToken);

    public async ValueTask DeleteGrantAsync(string grantId, CancellationToken cancellationToken) =>
        await session.Command("DELETE FROM kms_grants WHERE grant_id = $g").With("$g", grantId).NonQueryAsync(cancellationToken);

    /// <summary>When scheduled work next applies to the key, so that the scheduler finds it by index.</summary>
    private static long? DueAt(KmsKey key) => key.State switch
    {
        KeyState.PendingDeletion => key.DeletionDate.ToUnixMs(),
        KeyState.Enabled when key.RotationEnabled && !key.IsReplica => key.NextRotationDate.ToUnixMs(),
        KeyState.Enabled or KeyState.Disabled when key.MaterialImported && key.ValidTo is not null => key.ValidTo.ToUnixMs(),
        _ => null,
    };

    private static KmsAlias MapAlias(DbDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetString(2), Guid.Parse(r.GetString(3)),
        SqlExtensions.FromUnixMs(r.GetInt64(4)), SqlExtensions.FromUnixMs(r.GetInt64(5)));
}
