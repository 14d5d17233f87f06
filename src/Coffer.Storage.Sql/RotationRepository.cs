using System.Data.Common;
using Coffer.Core.Secrets;

namespace Coffer.Storage.Sql;

internal sealed class RotationRepository(SqlSession session) : IRotationRepository
{
    private const string Columns = "arn, token, test_only, owner, heartbeat_at";

    public async ValueTask ClaimAsync(RotationInFlight rotation, CancellationToken cancellationToken) =>
        await session.Command($"INSERT INTO rotations_in_flight ({Columns}) VALUES ($arn, $token, $test, $owner, $at) " +
                "ON CONFLICT (arn) DO UPDATE SET token = excluded.token, test_only = excluded.test_only, owner = excluded.owner, heartbeat_at = excluded.heartbeat_at")
            .With("$arn", rotation.Arn).With("$token", rotation.Token).With("$test", rotation.TestOnly ? 1L : 0L)
            .With("$owner", rotation.Owner).With("$at", rotation.HeartbeatAt.ToUnixMs()).NonQueryAsync(cancellationToken);

    public async ValueTask<RotationInFlight?> FindAsync(string arn, CancellationToken cancellationToken) =>
        (await ReadAsync(session.Command($"SELECT {Columns} FROM rotations_in_flight WHERE arn = $arn").With("$arn", arn), cancellationToken)).FirstOrDefault();

    public async ValueTask HeartbeatAsync(string arn, string owner, DateTimeOffset now, CancellationToken cancellationToken) =>
        await session.Command("UPDATE rotations_in_flight SET heartbeat_at = $at WHERE arn = $arn AND owner = $owner")
            .With("$arn", arn).With("$owner", owner).With("$at", now.ToUnixMs()).NonQueryAsync(cancellationToken);

    public async ValueTask ReleaseAsync(string arn, string token, CancellationToken cancellationToken) =>
        await session.Command("DELETE FROM rotations_in_flight WHERE arn = $arn AND token = $token").With("$arn", arn).With("$token", token).NonQueryAsync(cancellationToken);

    public async ValueTask<IReadOnlyList<RotationInFlight>> FindStaleAsync(DateTimeOffset before, int limit, CancellationToken cancellationToken) =>
        await ReadAsync(session.Command($"SELECT {Columns} FROM rotations_in_flight WHERE heartbeat_at < $before ORDER BY heartbeat_at LIMIT $limit")
            .With("$before", before.ToUnixMs()).With("$limit", (long)limit), cancellationToken);

    private static async ValueTask<List<RotationInFlight>> ReadAsync(DbCommand cmd, CancellationToken cancellationToken)
    {
        await using var reader = await cmd.ReaderAsync(cancellationToken);
        var list = new List<RotationInFlight>();
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(new RotationInFlight(reader.GetString(0), reader.GetString(1), reader.GetInt64(2) != 0, reader.GetString(3), SqlExtensions.FromUnixMs(reader.GetInt64(4))));
        }

        return list;
    }
}
