using Coffer.Core.Storage;

namespace Coffer.Storage.Sql;

internal sealed class MetaRepository(SqlSession session) : IMetaRepository
{
    private const string Select = "SELECT value FROM meta WHERE key = $k";

    private const string Upsert = "INSERT INTO meta (key, value) VALUES ($k, $v) ON CONFLICT (key) DO UPDATE SET value = excluded.value";

    public async ValueTask<string?> GetAsync(string key, CancellationToken cancellationToken) =>
        await session.Command(Select).With("$k", key).ScalarAsync(cancellationToken) as string;

    public async ValueTask SetAsync(string key, string value, CancellationToken cancellationToken) =>
        await session.Command(Upsert).With("$k", key).With("$v", value).NonQueryAsync(cancellationToken);
}
