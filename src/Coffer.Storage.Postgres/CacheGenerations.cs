using Coffer.Core;
using Coffer.Core.Storage;
using Coffer.Storage.Sql;
using Npgsql;

namespace Coffer.Storage.Postgres;

/// <summary>
/// The per-topic generations every node's caches check at the start of a request
/// (<see cref="GenerationCheck"/>). Each write transaction that changed a cached topic sets that
/// topic's generation to its own transaction id, under the cluster-wide write lock, before it
/// commits: the generation moves if and only if the change commits, and it is never one a node has
/// seen before (transaction ids only grow, even across a wipe that empties the table).
/// </summary>
public sealed partial class PostgresStore : IStoreGenerations
{
    private const string ReadGenerations = "SELECT topic, generation FROM cache_generations";

    private const string SetGenerations =
        "INSERT INTO cache_generations (topic, generation) SELECT t, txid_current() FROM unnest($topics) AS t " +
        "ON CONFLICT (topic) DO UPDATE SET generation = excluded.generation";

    public async ValueTask<IReadOnlyList<(string Topic, long Generation)>> ReadGenerationsAsync(CancellationToken cancellationToken)
    {
        try
        {
            // One statement outside a transaction: one round trip on a pooled connection.
            await using var connection = await _data.OpenConnectionAsync(cancellationToken);
            await using var cmd = new NpgsqlCommand(ReadGenerations, connection);
            await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
            var generations = new List<(string, long)>(StoreChange.Cached.Count);
            while (await reader.ReadAsync(cancellationToken))
            {
                generations.Add((reader.GetString(0), reader.GetInt64(1)));
            }

            return generations;
        }
        catch (Exception e) when (IsTransient(e))
        {
            _data.Clear();
            LogUnavailable(_logger, e.GetType().Name, (e as PostgresException)?.SqlState);
            throw new CofferException(ErrorCodes.ServiceUnavailable, "The database is unavailable; retry the request.", e);
        }
    }

    /// <summary>Moves the generation of each topic the batch changed, inside its transaction.</summary>
    private static async ValueTask MoveGenerationsAsync(PgSession session)
    {
        if (session.Changes.Count == 0)
        {
            return;
        }

        var topics = session.Changes.Contains(StoreChange.All) ? [.. StoreChange.Cached] : session.Changes.ToArray();
        await session.Command(SetGenerations).With("$topics", topics).NonQueryAsync(CancellationToken.None);
    }
}
