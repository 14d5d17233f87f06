using Coffer.Core.Storage;

namespace Coffer.Storage.Sql;

internal sealed class MetaRepository(SqlSession session) : IMetaRepository
{
    public string? Get(string key) =>
        session.Command("SELECT value FROM meta WHERE key = $k").With("$k", key).ExecuteScalar() as string;

    public void Set(string key, string value) =>
        session.Command("INSERT INTO meta (key, value) VALUES ($k, $v) ON CONFLICT (key) DO UPDATE SET value = excluded.value")
            .With("$k", key).With("$v", value).ExecuteNonQuery();
}
