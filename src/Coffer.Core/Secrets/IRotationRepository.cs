namespace Coffer.Core.Secrets;

/// <summary>A rotation in flight: the node that runs it, and when that node last said it still does.</summary>
public sealed record RotationInFlight(string Arn, string Token, bool TestOnly, string Owner, DateTimeOffset HeartbeatAt);

/// <summary>Which node runs each rotation in flight, so that a rotation whose node died is adopted by another.</summary>
public interface IRotationRepository
{
    /// <summary>Records <paramref name="rotation"/> as the secret's rotation in flight, in place of any other.</summary>
    ValueTask ClaimAsync(RotationInFlight rotation, CancellationToken cancellationToken);

    ValueTask<RotationInFlight?> FindAsync(string arn, CancellationToken cancellationToken);

    /// <summary>Moves the heartbeat of the secret's rotation to <paramref name="now"/> if <paramref name="owner"/> still owns it.</summary>
    ValueTask HeartbeatAsync(string arn, string owner, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Forgets the secret's rotation in flight if it is still the one with <paramref name="token"/>.</summary>
    ValueTask ReleaseAsync(string arn, string token, CancellationToken cancellationToken);

    /// <summary>Rotations whose heartbeat is older than <paramref name="before"/>, oldest first.</summary>
    ValueTask<IReadOnlyList<RotationInFlight>> FindStaleAsync(DateTimeOffset before, int limit, CancellationToken cancellationToken);
}
