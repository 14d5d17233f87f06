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
        await Store.WriteAsync(s =>
        {
            s.Rotations.Claim(new RotationInFlight("arn:a", "token-a", false, "node-1", start));
            s.Rotations.Claim(new RotationInFlight("arn:b", "token-b", true, "node-2", start));
        });

        // node-1 keeps beating; a beat by anyone else is not one of node-2's.
        await Store.WriteAsync(s =>
        {
            s.Rotations.Heartbeat("arn:a", "node-1", start.AddSeconds(10));
            s.Rotations.Heartbeat("arn:b", "node-1", start.AddSeconds(10));
        });

        var silent = Store.Read(s => s.Rotations.FindStale(start.AddSeconds(5), 10));
        Assert.Equal([new RotationInFlight("arn:b", "token-b", true, "node-2", start)], silent);

        // Adopted: the row is the new owner's; a release with another token leaves it.
        await Store.WriteAsync(s => s.Rotations.Claim(silent[0] with { Owner = "node-1", HeartbeatAt = start.AddSeconds(10) }));
        await Store.WriteAsync(s => s.Rotations.Release("arn:b", "token-other"));
        Assert.Equal("node-1", Store.Read(s => s.Rotations.Find("arn:b"))!.Owner);
        Assert.Empty(Store.Read(s => s.Rotations.FindStale(start.AddSeconds(5), 10)));

        await Store.WriteAsync(s => s.Rotations.Release("arn:b", "token-b"));
        Assert.Null(Store.Read(s => s.Rotations.Find("arn:b")));
        Assert.NotNull(Store.Read(s => s.Rotations.Find("arn:a")));
    }
}
