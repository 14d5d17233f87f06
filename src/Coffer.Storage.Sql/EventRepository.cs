using System.Text.Json;
using Coffer.Core.Events;

namespace Coffer.Storage.Sql;

internal sealed class EventRepository(SqlSession session) : IEventRepository
{
    public void Append(CofferEvent e) =>
        session.Command("INSERT INTO event_outbox (event_time, event) VALUES ($t, $e)")
            .With("$t", e.Time.ToUnixMs()).With("$e", JsonSerializer.Serialize(e, EventJson.Default.CofferEvent)).ExecuteNonQuery();

    public IReadOnlyList<StoredEvent> ReadAfter(long sequence, int limit) =>
        Read("SELECT seq, event FROM event_outbox WHERE seq > $s ORDER BY seq LIMIT $l", sequence, limit);

    public IReadOnlyList<StoredEvent> ReadBefore(long sequence, int limit) =>
        Read("SELECT seq, event FROM event_outbox WHERE seq < $s ORDER BY seq DESC LIMIT $l", sequence, limit);

    private List<StoredEvent> Read(string sql, long sequence, int limit)
    {
        using var reader = session.Command(sql).With("$s", sequence).With("$l", limit).ExecuteReader();
        var list = new List<StoredEvent>();
        while (reader.Read())
        {
            list.Add(new StoredEvent(reader.GetInt64(0), JsonSerializer.Deserialize(reader.GetString(1), EventJson.Default.CofferEvent)!));
        }

        return list;
    }
}
