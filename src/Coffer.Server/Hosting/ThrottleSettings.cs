namespace Coffer.Server.Hosting;

/// <summary>
/// Request rates, per second, and bursts for the throttle; a rate of 0 turns that limit off. The
/// defaults stay above what one client with one key can get from a server at all: the load
/// benchmark reaches about 10,000 hot reads a second with one key from one address on 2 cores
/// (docs/benchmarks.md), so lower limits would throttle it. Operators who share a server between
/// many clients lower them.
/// </summary>
public sealed record ThrottleSettings
{
    public static ThrottleSettings Default { get; } = new();

    /// <summary>Requests per second for one access key, after its signature is verified.</summary>
    public double PerKeyRate { get; init; } = 25_000;

    public double PerKeyBurst { get; init; } = 50_000;

    /// <summary>Requests per second from one source address, before anything else is done.</summary>
    public double PerAddressRate { get; init; } = 50_000;

    public double PerAddressBurst { get; init; } = 100_000;

    /// <summary>This many signature failures for one access key id within <see cref="FailureWindow"/>
    /// limit that key id to <see cref="PenaltyRate"/> for <see cref="PenaltyDuration"/>.</summary>
    public int FailuresBeforePenalty { get; init; } = 10;

    public TimeSpan FailureWindow { get; init; } = TimeSpan.FromMinutes(1);

    public double PenaltyRate { get; init; } = 1;

    public TimeSpan PenaltyDuration { get; init; } = TimeSpan.FromMinutes(1);
}
