namespace Coffer.Core.Kms;

public interface IKmsRepository
{

    /// <summary>The key with this id in one Region (a multi-Region key has one record in each Region it is in).</summary>
    ValueTask<KmsKey?> FindKeyAsync(Guid keyId, string region, CancellationToken cancellationToken);

    /// <summary>Every Region's record of one key id: one for a single-Region key, the primary and its replicas for a multi-Region key.</summary>
    ValueTask<IReadOnlyList<KmsKey>> ListKeyRegionsAsync(Guid keyId, CancellationToken cancellationToken);

    /// <summary>Keys of one account and region in key-id order, starting after <paramref name="after"/>.</summary>
    ValueTask<IReadOnlyList<KmsKey>> ListKeysAsync(string accountId, string region, Guid? after, int limit, CancellationToken cancellationToken);

    ValueTask InsertKeyAsync(KmsKey key, CancellationToken cancellationToken);

    ValueTask UpdateKeyAsync(KmsKey key, CancellationToken cancellationToken);

    /// <summary>Deletes the key's record in one Region with its aliases and grants there, and its material
    /// once no Region has the key any more (multi-Region keys share their material).</summary>
    ValueTask DeleteKeyAsync(Guid keyId, string region, CancellationToken cancellationToken);

    /// <summary>The material of one version, wrapped by the root key.</summary>
    ValueTask<byte[]?> FindMaterialAsync(Guid keyId, int version, CancellationToken cancellationToken);

    ValueTask InsertMaterialAsync(Guid keyId, int version, byte[] wrappedMaterial, DateTimeOffset createdAt, CancellationToken cancellationToken);

    /// <summary>Deletes every version of a key's material (imported material deleted or expired).</summary>
    ValueTask DeleteMaterialAsync(Guid keyId, CancellationToken cancellationToken);

    ValueTask<KmsAlias?> FindAliasAsync(string accountId, string region, string aliasName, CancellationToken cancellationToken);

    /// <summary>Aliases of one account and region in name order, optionally of one key only.</summary>
    ValueTask<IReadOnlyList<KmsAlias>> ListAliasesAsync(string accountId, string region, Guid? keyId, string? afterName, int limit, CancellationToken cancellationToken);

    ValueTask UpsertAliasAsync(KmsAlias alias, CancellationToken cancellationToken);

    ValueTask DeleteAliasAsync(string accountId, string region, string aliasName, CancellationToken cancellationToken);

    /// <summary>Keys whose deletion window has ended, whose automatic rotation is due, or whose imported material expires.</summary>
    ValueTask<IReadOnlyList<KmsKey>> FindDueAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken);

    /// <summary>The grants of one key, oldest first.</summary>
    ValueTask<IReadOnlyList<KmsGrant>> ListGrantsAsync(Guid keyId, CancellationToken cancellationToken);

    /// <summary>The grants of one account and region that name <paramref name="retiringPrincipal"/> as retiring principal, oldest first.</summary>
    ValueTask<IReadOnlyList<KmsGrant>> ListRetirableGrantsAsync(string accountId, string region, string retiringPrincipal, CancellationToken cancellationToken);

    ValueTask InsertGrantAsync(KmsGrant grant, CancellationToken cancellationToken);

    ValueTask DeleteGrantAsync(string grantId, CancellationToken cancellationToken);
}
