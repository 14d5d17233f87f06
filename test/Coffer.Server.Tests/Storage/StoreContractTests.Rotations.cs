using Coffer.Core.Secrets;
using Coffer.Core.Storage;

namespace Coffer.Server.Tests.Storage;

/// <summary>Rotations in flight (issue 10): claimed, heartbeat by their owner only, found once silent, released by their token.</summary>
public abstract partial class StoreContractTests
{
    [StoreFact]
    public async Task A_rotation_in_flight_is_found_silent_only_once_its_owner_stops_heartbeating()
    {
        var start = DateTimeOffset.FromUnixTimeMilliseconds(1_800_000_000_000);
        await Store.WriteAsync(async (s, ct) =>
        {
            await s.Rotations.ClaimAsync(new RotationInFlight("arn:a", "token-a", false, "node-1", start), ct);
            await s.Rotations.ClaimAsync(new RotationInFlight("arn:b", "token-b", true, "node-2", start), ct);
            return true;
        });

        // node-1 keeps beating; a beat by anyone else is not one of node-2's.
        await Store.WriteAsync(async (s, ct) =>
        {
            await s.Rotations.HeartbeatAsync("arn:a", "node-1", start.AddSeconds(10), ct);
            await s.Rotations.HeartbeatAsync("arn:b", "node-1", start.AddSeconds(10), ct);
            return true;
        });

        var silent = await Store.ReadAsync((s, ct) => s.Rotations.FindStaleAsync(start.AddSeconds(5), 10, ct));
        Assert.Equal([new RotationInFlight("arn:b", "token-b", true, "node-2", start)], silent);

        // Adopted: the row is the new owner's; a release with another token leaves it.
        await WriteRotationsAsync(Store, (s, ct) => s.Rotations.ClaimAsync(silent[0] with { Owner = "node-1", HeartbeatAt = start.AddSeconds(10) }, ct));
        await WriteRotationsAsync(Store, (s, ct) => s.Rotations.ReleaseAsync("arn:b", "token-other", ct));
        Assert.Equal("node-1", (await Store.ReadAsync((s, ct) => s.Rotations.FindAsync("arn:b", ct)))!.Owner);
        Assert.Empty(await Store.ReadAsync((s, ct) => s.Rotations.FindStaleAsync(start.AddSeconds(5), 10, ct)));

        await WriteRotationsAsync(Store, (s, ct) => s.Rotations.ReleaseAsync("arn:b", "token-b", ct));
        Assert.Null(await Store.ReadAsync((s, ct) => s.Rotations.FindAsync("arn:b", ct)));
        Assert.NotNull(await Store.ReadAsync((s, ct) => s.Rotations.FindAsync("arn:a", ct)));
    }

    /// <summary>A write of one rotations statement, which answers nothing.</summary>
    private static Task<bool> WriteRotationsAsync(ICofferStore store, Func<IStoreSession, CancellationToken, ValueTask> work) =>
        store.WriteAsync(async (s, ct) =>
        {
            await work(s, ct);
            return true;
        });
}
