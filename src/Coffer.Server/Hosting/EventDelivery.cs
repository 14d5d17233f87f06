namespace Coffer.Server.Hosting;

/// <summary>How the dispatcher delivers change events to API destinations.</summary>
public sealed record EventDelivery
{
    public static EventDelivery Default { get; } = new();

    /// <summary>Tries per event and target, the first included, before the event is dead-lettered.</summary>
    public int MaxAttempts { get; init; } = 8;

    /// <summary>The wait before the first retry; each retry doubles it (with jitter), up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>How long one HTTP request may take.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How often the outbox is looked at when there was nothing to do.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Whether the dispatcher runs at all (tests of other features may turn it off).</summary>
    public bool Enabled { get; init; } = true;
}
