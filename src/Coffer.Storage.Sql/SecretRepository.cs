using Coffer.Core.Functions;
using Coffer.Core.Secrets;
using Coffer.Storage.Sql.Documents;

namespace Coffer.Storage.Sql;

internal sealed class SecretRepository(SqlSession session) : ISecretRepository
{
    public Secret? Find(string arn) =>
        session.Command("SELECT doc FROM secrets WHERE arn = $arn").With("$arn", arn).ReadDoc(SecretDoc.Read);

    public Secret? FindByName(string accountId, string region, string name) =>
        session.Command("SELECT doc FROM secrets WHERE account_id = $a AND region = $r AND name = $n")
            .With("$a", accountId).With("$r", region).With("$n", name).ReadDoc(SecretDoc.Read);

    public IReadOnlyList<Secret> List(string accountId, string region) =>
        session.Command("SELECT doc FROM secrets WHERE account_id = $a AND region = $r").With("$a", accountId).With("$r", region).ReadDocs(SecretDoc.Read);

    public void Insert(Secret secret) =>
        session.Command("INSERT INTO secrets (arn, account_id, region, name, due_at, doc) VALUES ($arn, $a, $r, $n, $due, $doc)")
            .With("$arn", secret.Arn).With("$a", secret.AccountId).With("$r", secret.Region).With("$n", secret.Name)
            .With("$due", DueAt(secret)).With("$doc", SecretDoc.Write(secret)).ExecuteNonQuery();

    public void Update(Secret secret) =>
        session.Command("UPDATE secrets SET due_at = $due, doc = $doc WHERE arn = $arn")
            .With("$arn", secret.Arn).With("$due", DueAt(secret)).With("$doc", SecretDoc.Write(secret)).ExecuteNonQuery();

    public void Delete(string arn)
    {
        session.Command("DELETE FROM secret_values WHERE arn = $arn").With("$arn", arn).ExecuteNonQuery();
        session.Command("DELETE FROM secrets WHERE arn = $arn").With("$arn", arn).ExecuteNonQuery();
    }

    public byte[]? FindValue(string arn, string versionId) =>
        session.Command("SELECT ciphertext FROM secret_values WHERE arn = $arn AND version_id = $v").With("$arn", arn).With("$v", versionId).ExecuteScalar() as byte[];

    public void InsertValue(string arn, string versionId, byte[] ciphertext) =>
        session.Command("INSERT INTO secret_values (arn, version_id, ciphertext) VALUES ($arn, $v, $c) ON CONFLICT (arn, version_id) DO UPDATE SET ciphertext = excluded.ciphertext")
            .With("$arn", arn).With("$v", versionId).With("$c", ciphertext).ExecuteNonQuery();

    public void DeleteValue(string arn, string versionId) =>
        session.Command("DELETE FROM secret_values WHERE arn = $arn AND version_id = $v").With("$arn", arn).With("$v", versionId).ExecuteNonQuery();

    public IReadOnlyList<Secret> FindDue(DateTimeOffset now, int limit) =>
        session.Command("SELECT doc FROM secrets WHERE due_at IS NOT NULL AND due_at <= $now ORDER BY due_at LIMIT $limit")
            .With("$now", now.ToUnixMs()).With("$limit", limit).ReadDocs(SecretDoc.Read);

    /// <summary>When scheduled work next applies to the secret, so that the scheduler finds it by index.</summary>
    private static long? DueAt(Secret secret) =>
        secret.IsDeleted ? secret.DeletionDate.ToUnixMs()
        : secret.RotationEnabled == true ? secret.NextRotation?.Start.ToUnixMs()
        : null;
}

internal sealed class FunctionRepository(SqlSession session) : IFunctionRepository
{
    public ValueTask<RegisteredFunction?> FindAsync(string accountId, string region, string name, CancellationToken cancellationToken) =>
        session.Command("SELECT doc FROM functions WHERE account_id = $a AND region = $r AND name = $n")
            .With("$a", accountId).With("$r", region).With("$n", name).ReadDocAsync(FunctionDoc.Read, cancellationToken);

    public async ValueTask<IReadOnlyList<RegisteredFunction>> ListAsync(string accountId, string region, CancellationToken cancellationToken) =>
        await session.Command("SELECT doc FROM functions WHERE account_id = $a AND region = $r ORDER BY name").With("$a", accountId).With("$r", region)
            .ReadDocsAsync(FunctionDoc.Read, cancellationToken);

    public async ValueTask UpsertAsync(RegisteredFunction function, CancellationToken cancellationToken) =>
        await session.Command("INSERT INTO functions (account_id, region, name, doc) VALUES ($a, $r, $n, $doc) ON CONFLICT (account_id, region, name) DO UPDATE SET doc = excluded.doc")
            .With("$a", function.AccountId).With("$r", function.Region).With("$n", function.Name)
            .With("$doc", FunctionDoc.Write(function)).ExecuteNonQueryAsync(cancellationToken);

    public async ValueTask<bool> DeleteAsync(string accountId, string region, string name, CancellationToken cancellationToken) =>
        await session.Command("DELETE FROM functions WHERE account_id = $a AND region = $r AND name = $n")
            .With("$a", accountId).With("$r", region).With("$n", name).ExecuteNonQueryAsync(cancellationToken) > 0;
}
