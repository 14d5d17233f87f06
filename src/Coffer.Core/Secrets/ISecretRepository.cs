namespace Coffer.Core.Secrets;

public interface ISecretRepository
{
    Secret? Find(string arn);

    Secret? FindByName(string accountId, string region, string name);

    /// <summary>Every secret of one account and region, scheduled for deletion or not.</summary>
    IReadOnlyList<Secret> List(string accountId, string region);

    void Insert(Secret secret);

    void Update(Secret secret);

    /// <summary>Deletes the secret and every value of its versions.</summary>
    void Delete(string arn);

    /// <summary>The encrypted value of a version (a KMS ciphertext blob).</summary>
    byte[]? FindValue(string arn, string versionId);

    void InsertValue(string arn, string versionId, byte[] ciphertext);

    void DeleteValue(string arn, string versionId);

    /// <summary>Secrets whose recovery window has ended or whose next rotation window has opened.</summary>
    IReadOnlyList<Secret> FindDue(DateTimeOffset now, int limit);
}
