namespace Coffer.Core.Secrets;

public interface ISecretRepository
{

    ValueTask<Secret?> FindAsync(string arn, CancellationToken cancellationToken);

    ValueTask<Secret?> FindByNameAsync(string accountId, string region, string name, CancellationToken cancellationToken);

    /// <summary>Every secret of one account and region, scheduled for deletion or not.</summary>
    ValueTask<IReadOnlyList<Secret>> ListAsync(string accountId, string region, CancellationToken cancellationToken);

    ValueTask InsertAsync(Secret secret, CancellationToken cancellationToken);

    ValueTask UpdateAsync(Secret secret, CancellationToken cancellationToken);

    /// <summary>Deletes the secret and every value of its versions.</summary>
    ValueTask DeleteAsync(string arn, CancellationToken cancellationToken);

    /// <summary>The encrypted value of a version (a KMS ciphertext blob).</summary>
    ValueTask<byte[]?> FindValueAsync(string arn, string versionId, CancellationToken cancellationToken);

    ValueTask InsertValueAsync(string arn, string versionId, byte[] ciphertext, CancellationToken cancellationToken);

    ValueTask DeleteValueAsync(string arn, string versionId, CancellationToken cancellationToken);

    /// <summary>Secrets whose recovery window has ended or whose next rotation window has opened.</summary>
    ValueTask<IReadOnlyList<Secret>> FindDueAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken);
}
