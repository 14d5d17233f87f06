using Coffer.Core.Identity;
using Coffer.Storage.Sql.Documents;

namespace Coffer.Storage.Sql;

internal sealed partial class IamRepository(SqlSession session) : IIamRepository
{
    public IamEntity? Find(string accountId, IamEntityKind kind, string name) =>
        session.Command("SELECT doc FROM iam_entities WHERE account_id = $a AND kind = $k AND name_key = $n")
            .With("$a", accountId).With("$k", kind.ToString()).With("$n", Key(name)).ReadDoc(IamEntityDoc.Read);

    public IReadOnlyList<IamEntity> List(string accountId, IamEntityKind kind, string pathPrefix) =>
        session.Command("SELECT doc FROM iam_entities WHERE account_id = $a AND kind = $k AND substr(path, 1, length($p)) = $p ORDER BY name_key")
            .With("$a", accountId).With("$k", kind.ToString()).With("$p", pathPrefix).ReadDocs(IamEntityDoc.Read);

    public void Insert(IamEntity e) =>
        session.Command("INSERT INTO iam_entities (account_id, kind, name_key, id, path, doc) VALUES ($a, $k, $n, $id, $p, $doc)")
            .With("$a", e.AccountId).With("$k", e.Kind.ToString()).With("$n", Key(e.Name)).With("$id", e.Id).With("$p", e.Path)
            .With("$doc", IamEntityDoc.Write(e)).ExecuteNonQuery();

    public void Update(IamEntity e) =>
        session.Command("UPDATE iam_entities SET path = $p, doc = $doc WHERE account_id = $a AND kind = $k AND name_key = $n")
            .With("$a", e.AccountId).With("$k", e.Kind.ToString()).With("$n", Key(e.Name)).With("$p", e.Path)
            .With("$doc", IamEntityDoc.Write(e)).ExecuteNonQuery();

    public void Delete(IamEntity e)
    {
        var key = Key(e.Name);
        session.Command("DELETE FROM iam_attachments WHERE account_id = $a AND kind = $k AND name_key = $n")
            .With("$a", e.AccountId).With("$k", e.Kind.ToString()).With("$n", key).ExecuteNonQuery();
        var membership = e.Kind == IamEntityKind.User
            ? "DELETE FROM iam_group_members WHERE account_id = $a AND user_key = $n"
            : "DELETE FROM iam_group_members WHERE account_id = $a AND group_key = $n";
        if (e.Kind != IamEntityKind.Role)
        {
            session.Command(membership).With("$a", e.AccountId).With("$n", key).ExecuteNonQuery();
        }

        session.Command("DELETE FROM iam_entities WHERE account_id = $a AND kind = $k AND name_key = $n")
            .With("$a", e.AccountId).With("$k", e.Kind.ToString()).With("$n", key).ExecuteNonQuery();
    }

    public ManagedPolicy? FindPolicy(string arn) =>
        session.Command("SELECT doc FROM iam_policies WHERE arn = $arn").With("$arn", arn).ReadDoc(ManagedPolicyDoc.Read);

    public IReadOnlyList<ManagedPolicy> ListPolicies(string accountId, string pathPrefix) =>
        session.Command("SELECT doc FROM iam_policies WHERE account_id = $a AND substr(path, 1, length($p)) = $p ORDER BY name_key")
            .With("$a", accountId).With("$p", pathPrefix).ReadDocs(ManagedPolicyDoc.Read);

    public void InsertPolicy(ManagedPolicy p) =>
        session.Command("INSERT INTO iam_policies (arn, account_id, name_key, path, doc) VALUES ($arn, $a, $n, $p, $doc)")
            .With("$arn", p.Arn).With("$a", p.AccountId).With("$n", Key(p.Name)).With("$p", p.Path)
            .With("$doc", ManagedPolicyDoc.Write(p)).ExecuteNonQuery();

    public void UpdatePolicy(ManagedPolicy p) =>
        session.Command("UPDATE iam_policies SET doc = $doc WHERE arn = $arn")
            .With("$arn", p.Arn).With("$doc", ManagedPolicyDoc.Write(p)).ExecuteNonQuery();

    public void DeletePolicy(string arn) =>
        session.Command("DELETE FROM iam_policies WHERE arn = $arn").With("$arn", arn).ExecuteNonQuery();

    public IReadOnlyList<string> AttachedPolicies(IamEntity e)
    {
        using var reader = session.Command("SELECT policy_arn FROM iam_attachments WHERE account_id = $a AND kind = $k AND name_key = $n ORDER BY seq")
            .With("$a", e.AccountId).With("$k", e.Kind.ToString()).With("$n", Key(e.Name)).ExecuteReader();
        var list = new List<string>();
        while (reader.Read())
        {
            list.Add(reader.GetString(0));
        }

        return list;
    }

    public void Attach(IamEntity e, string policyArn) =>
        session.Command("""
            INSERT INTO iam_attachments (account_id, kind, name_key, policy_arn, seq)
            VALUES ($a, $k, $n, $arn, (SELECT coalesce(max(seq), 0) + 1 FROM iam_attachments))
            ON CONFLICT DO NOTHING
            """)
            .With("$a", e.AccountId).With("$k", e.Kind.ToString()).With("$n", Key(e.Name)).With("$arn", policyArn).ExecuteNonQuery();

    public void Detach(IamEntity e, string policyArn) =>
        session.Command("DELETE FROM iam_attachments WHERE account_id = $a AND kind = $k AND name_key = $n AND policy_arn = $arn")
            .With("$a", e.AccountId).With("$k", e.Kind.ToString()).With("$n", Key(e.Name)).With("$arn", policyArn).ExecuteNonQuery();

    public int CountAttachments(string policyArn) =>
        Convert.ToInt32(session.Command("SELECT count(*) FROM iam_attachments WHERE policy_arn = $arn").With("$arn", policyArn).ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);

    public IReadOnlyList<IamEntity> GroupsOf(IamEntity user) =>
        session.Command("""
            SELECT e.doc FROM iam_group_members m JOIN iam_entities e ON e.account_id = m.account_id AND e.kind = 'Group' AND e.name_key = m.group_key
            WHERE m.account_id = $a AND m.user_key = $n ORDER BY e.name_key
            """).With("$a", user.AccountId).With("$n", Key(user.Name)).ReadDocs(IamEntityDoc.Read);

    public IReadOnlyList<IamEntity> MembersOf(IamEntity group) =>
        session.Command("""
            SELECT e.doc FROM iam_group_members m JOIN iam_entities e ON e.account_id = m.account_id AND e.kind = 'User' AND e.name_key = m.user_key
            WHERE m.account_id = $a AND m.group_key = $n ORDER BY e.name_key
            """).With("$a", group.AccountId).With("$n", Key(group.Name)).ReadDocs(IamEntityDoc.Read);

    public void AddMember(IamEntity group, IamEntity user) =>
        session.Command("INSERT INTO iam_group_members (account_id, group_key, user_key) VALUES ($a, $g, $u) ON CONFLICT DO NOTHING")
            .With("$a", group.AccountId).With("$g", Key(group.Name)).With("$u", Key(user.Name)).ExecuteNonQuery();

    public void RemoveMember(IamEntity group, IamEntity user) =>
        session.Command("DELETE FROM iam_group_members WHERE account_id = $a AND group_key = $g AND user_key = $u")
            .With("$a", group.AccountId).With("$g", Key(group.Name)).With("$u", Key(user.Name)).ExecuteNonQuery();

    private static string Key(string name) => name.ToLowerInvariant();
}
