using Coffer.Core.Functions;
using Coffer.Core.Secrets;
using Coffer.Storage.Sql.Documents;

namespace Coffer.Storage.Sql;

internal sealed class SecretRepository(SqlSession session) : ISecretRepository
{
    private const string FindSql = "SELECT doc FROM secrets WHERE arn = $arn";
    private const string FindByNameSql = "SELECT doc FROM secrets WHERE account_id = $a AND region = $r AND name = $n";

    public ValueTask<Secret?> FindAsync(string arn, CancellationToken cancellationToken) =>
        session.Command(FindSql).With("$arn", arn).ReadDocAsync(SecretDoc.Read, cancellationToken);

    public ValueTask<Secret?> FindByNameAsync(string accountId, string region, string name, CancellationToken cancellationToken) =>
        session.Command(FindByNameSql).With("$a", accountId).With("$r", region).With("$n", name).ReadDocAsync(SecretDoc.Read, cancellationToken);

    public async ValueTask<IReadOnlyList<Secret>> ListAsync(string accountId, string region, CancellationToken cancellationToken) =>
        await session.Command("SELECT doc FROM secrets WHERE account_id = $a AND region = $r").With("$a", accountId).With("$r", region)
            .ReadDocsAsync(SecretDoc.Read, cancellationToken);

    public async ValueTask InsertAsync(Secret secret, CancellationToken cancellationToken) =>
        await session.Command("INSERT INTO secrets (arn, account_id, region, name, due_at, doc) VALUES ($arn, $a, $r, $n, $due, $doc)")
            .With("$arn", secret.Arn).With("$a", secret.AccountId).With("$r", secret.Region).With("$n", secret.Name)
            .With("$due", DueAt(secret)).With("$doc", SecretDoc.Write(secret)).NonQueryAsync(cancellationToken);

    public async ValueTask UpdateAsync(Secret secret, CancellationToken cancellationToken) =>
        await session.Command("UPDATE secrets SET due_at = $due, doc = $doc WHERE arn = $arn")
            .With("$arn", secret.Arn).With("$due", DueAt(secret)).With("$doc", SecretDoc.Write(secret)).NonQueryAsync(cancellationToken);

    public async ValueTask DeleteAsync(string arn, CancellationToken cancellationToken)
    {
        await session.Command("DELETE FROM secret_values WHERE arn = $arn").With("$arn", arn).NonQueryAsync(cancellationToken);
        await session.Command("DELETE FROM secrets WHERE arn = $arn").With("$arn", arn).NonQueryAsync(cancellationToken);
    }

    public async ValueTask<byte[]?> FindValueAsync(string arn, string versionId, CancellationToken cancellationToken) =>
        await session.Command("SELECT ciphertext FROM secret_values WHERE arn = $arn AND version_id = $v").With("$arn", arn).With("$v", versionId)
            .ScalarAsync(cancellationToken) as byte[];

    public async ValueTask InsertValueAsync(string arn, string versionId, byte[] ciphertext, CancellationToken cancellationToken) =>
        await session.Command("INSERT INTO secret_values (arn, version_id, ciphertext) VALUES ($arn, $v, $c) ON CONFLICT (arn, version_id) DO UPDATE SET ciphertext = excluded.ciphertext")
            .With("$arn", arn).With("$v", versionId).With("$c", ciphertext).NonQueryAsync(cancellationToken);

    public async ValueTask DeleteValueAsync(string arn, string versionId, CancellationToken cancellationToken) =>
        await session.Command("DELETE FROM secret_values WHERE arn = $arn AND version_id = $v").With("$arn", arn).With("$v", versionId).NonQueryAsync(cancellationToken);

    public async ValueTask<IReadOnlyList<Secret>> FindDueAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken) =>
        await session.Command("SELECT doc FROM secrets WHERE due_at IS NOT NULL AND due_at <= $now ORDER BY due_at LIMIT $limit")
            .With("$now", now.ToUnixMs()).With("$limit", limit).ReadDocsAsync(SecretDoc.Read, cancellationToken);

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
            .With("$doc", FunctionDoc.Write(function)).NonQueryAsync(cancellationToken);

    public async ValueTask<bool> DeleteAsync(string accountId, string region, string name, CancellationToken cancellationToken) =>
        await session.Command("DELETE FROM functions WHERE account_id = $a AND region = $r AND name = $n")
            .With("$a", accountId).With("$r", region).With("$n", name).NonQueryAsync(cancellationToken) > 0;
}
