namespace Coffer.Server.Hosting;

/// <summary>
/// Request rates, per second, and bursts for the throttle. The defaults are far above what one
/// client does in normal use (the benchmark's hot reads included); a rate of 0 turns that limit off.
/// </summary>
public sealed record ThrottleSettings
{
    public static ThrottleSettings Default { get; } = new();

    /// <summary>Requests per second for one access key, after its signature is verified.</summary>
    public double PerKeyRate { get; init; } = 2000;

    public double PerKeyBurst { get; init; } = 4000;

    /// <summary>Requests per second from one source address, before anything else is done.</summary>
    public double PerAddressRate { get; init; } = 5000;

    public double PerAddressBurst { get; init; } = 10000;

    /// <summary>This many signature failures for one access key id within <see cref="FailureWindow"/>
    /// limit that key id to <see cref="PenaltyRate"/> for <see cref="PenaltyDuration"/>.</summary>
    public int FailuresBeforePenalty { get; init; } = 10;

    public TimeSpan FailureWindow { get; init; } = TimeSpan.FromMinutes(1);

    public double PenaltyRate { get; init; } = 1;

    public TimeSpan PenaltyDuration { get; init; } = TimeSpan.FromMinutes(1);
}
