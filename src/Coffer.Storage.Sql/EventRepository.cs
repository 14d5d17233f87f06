using System.Text.Json;
using Coffer.Core.Events;

namespace Coffer.Storage.Sql;

internal sealed class EventRepository(SqlSession session) : IEventRepository
{
    private const string Insert = "INSERT INTO event_outbox (event_time, event) VALUES ($t, $e)";

    private const string After = "SELECT seq, event FROM event_outbox WHERE seq > $s ORDER BY seq LIMIT $l";

    public async ValueTask AppendAsync(CofferEvent e, CancellationToken cancellationToken) =>
        await session.Command(Insert).With("$t", e.Time.ToUnixMs()).With("$e", JsonSerializer.Serialize(e, EventJson.Default.CofferEvent)).NonQueryAsync(cancellationToken);

    public ValueTask<IReadOnlyList<StoredEvent>> ReadAfterAsync(long sequence, int limit, CancellationToken cancellationToken) =>
        ReadAsync(After, sequence, limit, cancellationToken);

    public ValueTask<IReadOnlyList<StoredEvent>> ReadBeforeAsync(long sequence, int limit, CancellationToken cancellationToken) =>
        ReadAsync("SELECT seq, event FROM event_outbox WHERE seq < $s ORDER BY seq DESC LIMIT $l", sequence, limit, cancellationToken);

    private async ValueTask<IReadOnlyList<StoredEvent>> ReadAsync(string sql, long sequence, int limit, CancellationToken cancellationToken)
    {
        await using var reader = await session.Command(sql).With("$s", sequence).With("$l", limit).ReaderAsync(cancellationToken);
        var list = new List<StoredEvent>();
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(new StoredEvent(reader.GetInt64(0), JsonSerializer.Deserialize(reader.GetString(1), EventJson.Default.CofferEvent)!));
        }

        return list;
    }
}
