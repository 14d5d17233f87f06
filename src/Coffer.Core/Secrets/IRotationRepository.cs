namespace Coffer.Core.Secrets;

/// <summary>A rotation in flight: the node that runs it, and when that node last said it still does.</summary>
public sealed record RotationInFlight(string Arn, string Token, bool TestOnly, string Owner, DateTimeOffset HeartbeatAt);

/// <summary>Which node runs each rotation in flight, so that a rotation whose node died is adopted by another.</summary>
public interface IRotationRepository
{
    /// <summary>Records <paramref name="rotation"/> as the secret's rotation in flight, in place of any other.</summary>
    void Claim(RotationInFlight rotation);

    RotationInFlight? Find(string arn);

    /// <summary>Moves the heartbeat of the secret's rotation to <paramref name="now"/> if <paramref name="owner"/> still owns it.</summary>
    void Heartbeat(string arn, string owner, DateTimeOffset now);

    /// <summary>Forgets the secret's rotation in flight if it is still the one with <paramref name="token"/>.</summary>
    void Release(string arn, string token);

    /// <summary>Rotations whose heartbeat is older than <paramref name="before"/>, oldest first.</summary>
    IReadOnlyList<RotationInFlight> FindStale(DateTimeOffset before, int limit);
}
