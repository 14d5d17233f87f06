using Coffer.Core.Identity;
using Coffer.Storage.Sql.Documents;

namespace Coffer.Storage.Sql;

internal sealed partial class IamRepository(SqlSession session) : IIamRepository
{
    private const string FindSql = "SELECT doc FROM iam_entities WHERE account_id = $a AND kind = $k AND name_key = $n";
    private const string FindPolicySql = "SELECT doc FROM iam_policies WHERE arn = $arn";
    private const string AttachedSql = "SELECT policy_arn FROM iam_attachments WHERE account_id = $a AND kind = $k AND name_key = $n ORDER BY seq";
    private const string GroupsOfSql = """
        SELECT e.doc FROM iam_group_members m JOIN iam_entities e ON e.account_id = m.account_id AND e.kind = 'Group' AND e.name_key = m.group_key
        WHERE m.account_id = $a AND m.user_key = $n ORDER BY e.name_key
        """;

    public ValueTask<IamEntity?> FindAsync(string accountId, IamEntityKind kind, string name, CancellationToken cancellationToken) =>
        session.Command(FindSql).With("$a", accountId).With("$k", kind.ToString()).With("$n", Key(name)).ReadDocAsync(IamEntityDoc.Read, cancellationToken);

    public async ValueTask<IReadOnlyList<IamEntity>> ListAsync(string accountId, IamEntityKind kind, string pathPrefix, CancellationToken cancellationToken) =>
        await session.Command("SELECT doc FROM iam_entities WHERE account_id = $a AND kind = $k AND substr(path, 1, length($p)) = $p ORDER BY name_key")
            .With("$a", accountId).With("$k", kind.ToString()).With("$p", pathPrefix).ReadDocsAsync(IamEntityDoc.Read, cancellationToken);

    public async ValueTask InsertAsync(IamEntity e, CancellationToken cancellationToken) =>
        await session.Command("INSERT INTO iam_entities (account_id, kind, name_key, id, path, doc) VALUES ($a, $k, $n, $id, $p, $doc)")
            .With("$a", e.AccountId).With("$k", e.Kind.ToString()).With("$n", Key(e.Name)).With("$id", e.Id).With("$p", e.Path)
            .With("$doc", IamEntityDoc.Write(e)).NonQueryAsync(cancellationToken);

    public async ValueTask UpdateAsync(IamEntity e, CancellationToken cancellationToken) =>
        await session.Command("UPDATE iam_entities SET path = $p, doc = $doc WHERE account_id = $a AND kind = $k AND name_key = $n")
            .With("$a", e.AccountId).With("$k", e.Kind.ToString()).With("$n", Key(e.Name)).With("$p", e.Path)
            .With("$doc", IamEntityDoc.Write(e)).NonQueryAsync(cancellationToken);

    public async ValueTask DeleteAsync(IamEntity e, CancellationToken cancellationToken)
    {
        var key = Key(e.Name);
        await session.Command("DELETE FROM iam_attachments WHERE account_id = $a AND kind = $k AND name_key = $n")
            .With("$a", e.AccountId).With("$k", e.Kind.ToString()).With("$n", key).NonQueryAsync(cancellationToken);
        var membership = e.Kind == IamEntityKind.User
            ? "DELETE FROM iam_group_members WHERE account_id = $a AND user_key = $n"
            : "DELETE FROM iam_group_members WHERE account_id = $a AND group_key = $n";
        if (e.Kind != IamEntityKind.Role)
        {
            await session.Command(membership).With("$a", e.AccountId).With("$n", key).NonQueryAsync(cancellationToken);
        }

        await session.Command("DELETE FROM iam_entities WHERE account_id = $a AND kind = $k AND name_key = $n")
            .With("$a", e.AccountId).With("$k", e.Kind.ToString()).With("$n", key).NonQueryAsync(cancellationToken);
    }

    public ValueTask<ManagedPolicy?> FindPolicyAsync(string arn, CancellationToken cancellationToken) =>
        session.Command(FindPolicySql).With("$arn", arn).ReadDocAsync(ManagedPolicyDoc.Read, cancellationToken);

    public async ValueTask<IReadOnlyList<ManagedPolicy>> ListPoliciesAsync(string accountId, string pathPrefix, CancellationToken cancellationToken) =>
        await session.Command("SELECT doc FROM iam_policies WHERE account_id = $a AND substr(path, 1, length($p)) = $p ORDER BY name_key")
            .With("$a", accountId).With("$p", pathPrefix).ReadDocsAsync(ManagedPolicyDoc.Read, cancellationToken);

    public async ValueTask InsertPolicyAsync(ManagedPolicy p, CancellationToken cancellationToken) =>
        await session.Command("INSERT INTO iam_policies (arn, account_id, name_key, path, doc) VALUES ($arn, $a, $n, $p, $doc)")
            .With("$arn", p.Arn).With("$a", p.AccountId).With("$n", Key(p.Name)).With("$p", p.Path)
            .With("$doc", ManagedPolicyDoc.Write(p)).NonQueryAsync(cancellationToken);

    public async ValueTask UpdatePolicyAsync(ManagedPolicy p, CancellationToken cancellationToken) =>
        await session.Command("UPDATE iam_policies SET doc = $doc WHERE arn = $arn")
            .With("$arn", p.Arn).With("$doc", ManagedPolicyDoc.Write(p)).NonQueryAsync(cancellationToken);

    public async ValueTask DeletePolicyAsync(string arn, CancellationToken cancellationToken) =>
        await session.Command("DELETE FROM iam_policies WHERE arn = $arn").With("$arn", arn).NonQueryAsync(cancellationToken);

    public async ValueTask<IReadOnlyList<string>> AttachedPoliciesAsync(IamEntity e, CancellationToken cancellationToken)
    {
        await using var reader = await session.Command(AttachedSql)
            .With("$a", e.AccountId).With("$k", e.Kind.ToString()).With("$n", Key(e.Name)).ReaderAsync(cancellationToken);
        var list = new List<string>();
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(reader.GetString(0));
        }

        return list;
    }

    public async ValueTask AttachAsync(IamEntity e, string policyArn, CancellationToken cancellationToken) =>
        await session.Command("""
            INSERT INTO iam_attachments (account_id, kind, name_key, policy_arn, seq)
            VALUES ($a, $k, $n, $arn, (SELECT coalesce(max(seq), 0) + 1 FROM iam_attachments))
            ON CONFLICT DO NOTHING
            """)
            .With("$a", e.AccountId).With("$k", e.Kind.ToString()).With("$n", Key(e.Name)).With("$arn", policyArn).NonQueryAsync(cancellationToken);

    public async ValueTask DetachAsync(IamEntity e, string policyArn, CancellationToken cancellationToken) =>
        await session.Command("DELETE FROM iam_attachments WHERE account_id = $a AND kind = $k AND name_key = $n AND policy_arn = $arn")
            .With("$a", e.AccountId).With("$k", e.Kind.ToString()).With("$n", Key(e.Name)).With("$arn", policyArn).NonQueryAsync(cancellationToken);

    public async ValueTask<int> CountAttachmentsAsync(string policyArn, CancellationToken cancellationToken) =>
        Convert.ToInt32(await session.Command("SELECT count(*) FROM iam_attachments WHERE policy_arn = $arn").With("$arn", policyArn).ScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);

    public async ValueTask<IReadOnlyList<IamEntity>> GroupsOfAsync(IamEntity user, CancellationToken cancellationToken) =>
        await session.Command(GroupsOfSql).With("$a", user.AccountId).With("$n", Key(user.Name)).ReadDocsAsync(IamEntityDoc.Read, cancellationToken);

    public async ValueTask<IReadOnlyList<IamEntity>> MembersOfAsync(IamEntity group, CancellationToken cancellationToken) =>
        await session.Command("""
            SELECT e.doc FROM iam_group_members m JOIN iam_entities e ON e.account_id = m.account_id AND e.kind = 'User' AND e.name_key = m.user_key
            WHERE m.account_id = $a AND m.group_key = $n ORDER BY e.name_key
            """).With("$a", group.AccountId).With("$n", Key(group.Name)).ReadDocsAsync(IamEntityDoc.Read, cancellationToken);

    public async ValueTask AddMemberAsync(IamEntity group, IamEntity user, CancellationToken cancellationToken) =>
        await session.Command("INSERT INTO iam_group_members (account_id, group_key, user_key) VALUES ($a, $g, $u) ON CONFLICT DO NOTHING")
            .With("$a", group.AccountId).With("$g", Key(group.Name)).With("$u", Key(user.Name)).NonQueryAsync(cancellationToken);

    public async ValueTask RemoveMemberAsync(IamEntity group, IamEntity user, CancellationToken cancellationToken) =>
        await session.Command("DELETE FROM iam_group_members WHERE account_id = $a AND group_key = $g AND user_key = $u")
            .With("$a", group.AccountId).With("$g", Key(group.Name)).With("$u", Key(user.Name)).NonQueryAsync(cancellationToken);

    private static string Key(string name) => name.ToLowerInvariant();
}
