namespace Coffer.Core.Kms;

public interface IKmsRepository
{
    /// <summary>The key with this id in one Region (a multi-Region key has one record in each Region it is in).</summary>
    KmsKey? FindKey(Guid keyId, string region);

    /// <summary>Every Region's record of one key id: one for a single-Region key, the primary and its replicas for a multi-Region key.</summary>
    IReadOnlyList<KmsKey> ListKeyRegions(Guid keyId);

    /// <summary>Keys of one account and region in key-id order, starting after <paramref name="after"/>.</summary>
    IReadOnlyList<KmsKey> ListKeys(string accountId, string region, Guid? after, int limit);

    void InsertKey(KmsKey key);

    void UpdateKey(KmsKey key);

    /// <summary>Deletes the key's record in one Region with its aliases and grants there, and its material
    /// once no Region has the key any more (multi-Region keys share their material).</summary>
    void DeleteKey(Guid keyId, string region);

    /// <summary>The material of one version, wrapped by the root key.</summary>
    byte[]? FindMaterial(Guid keyId, int version);

    void InsertMaterial(Guid keyId, int version, byte[] wrappedMaterial, DateTimeOffset createdAt);

    /// <summary>Deletes every version of a key's material (imported material deleted or expired).</summary>
    void DeleteMaterial(Guid keyId);

    KmsAlias? FindAlias(string accountId, string region, string aliasName);

    /// <summary>Aliases of one account and region in name order, optionally of one key only.</summary>
    IReadOnlyList<KmsAlias> ListAliases(string accountId, string region, Guid? keyId, string? afterName, int limit);

    void UpsertAlias(KmsAlias alias);

    void DeleteAlias(string accountId, string region, string aliasName);

    /// <summary>Keys whose deletion window has ended, whose automatic rotation is due, or whose imported material expires.</summary>
    IReadOnlyList<KmsKey> FindDue(DateTimeOffset now, int limit);

    /// <summary>The grants of one key, oldest first.</summary>
    IReadOnlyList<KmsGrant> ListGrants(Guid keyId);

    /// <summary>The grants of one account and region that name <paramref name="retiringPrincipal"/> as retiring principal, oldest first.</summary>
    IReadOnlyList<KmsGrant> ListRetirableGrants(string accountId, string region, string retiringPrincipal);

    void InsertGrant(KmsGrant grant);

    void DeleteGrant(string grantId);
}
