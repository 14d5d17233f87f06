namespace Coffer.Server.Hosting;

/// <summary>
/// Signature failures of one access key id: counted in a window, and once there are too many, a
/// penalty during which that key id may make one request a second (<see cref="ThrottleSettings"/>).
/// </summary>
internal sealed class SignatureFailures(ThrottleSettings settings)
{
    private readonly Lock _lock = new();
    private int _count;
    private DateTimeOffset _windowStart = DateTimeOffset.MinValue;
    private DateTimeOffset _penaltyUntil = DateTimeOffset.MinValue;
    private TokenBucket? _penalty;

    public void Record(TimeProvider time)
    {
        var now = time.GetUtcNow();
        lock (_lock)
        {
            if (now - _windowStart > settings.FailureWindow)
            {
                _windowStart = now;
                _count = 0;
            }

            _count++;
            if (_count >= settings.FailuresBeforePenalty && now >= _penaltyUntil)
            {
                _penaltyUntil = now + settings.PenaltyDuration;
                _penalty = new TokenBucket(settings.PenaltyRate, 1, time.GetTimestamp());
                _penalty.TryTake(time);
            }
        }
    }

    /// <summary>Whether a request naming this key id may go on now.</summary>
    public bool TryPass(TimeProvider time)
    {
        lock (_lock)
        {
            return time.GetUtcNow() >= _penaltyUntil || _penalty is null || _penalty.TryTake(time);
        }
    }

    /// <summary>Neither counting nor penalizing any more: the record can be dropped.</summary>
    public bool IsOver(TimeProvider time)
    {
        var now = time.GetUtcNow();
        lock (_lock)
        {
            return now >= _penaltyUntil && now - _windowStart > settings.FailureWindow;
        }
    }
}
