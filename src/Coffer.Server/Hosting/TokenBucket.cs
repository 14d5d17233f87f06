namespace Coffer.Server.Hosting;

/// <summary>
/// A token bucket: <c>burst</c> tokens at most, refilled at <c>rate</c> per second, one taken per
/// request. Time comes from <see cref="TimeProvider.GetTimestamp"/>, so tests move it by hand.
/// </summary>
internal sealed class TokenBucket(double rate, double burst, long now)
{
    private readonly Lock _lock = new();
    private readonly double _burst = burst;
    private double _tokens = burst;
    private long _last = now;

    public bool TryTake(TimeProvider time)
    {
        lock (_lock)
        {
            Refill(time);
            if (_tokens < 1)
            {
                return false;
            }

            _tokens -= 1;
            return true;
        }
    }

    /// <summary>Whether the bucket has refilled to the brim: then it is no different from a new one and can be dropped.</summary>
    public bool IsFull(TimeProvider time)
    {
        lock (_lock)
        {
            Refill(time);
            return _tokens >= _burst;
        }
    }

    private void Refill(TimeProvider time)
    {
        var now = time.GetTimestamp();
        var elapsed = time.GetElapsedTime(_last, now).TotalSeconds;
        if (elapsed > 0)
        {
            _tokens = Math.Min(_burst, _tokens + (elapsed * rate));
            _last = now;
        }
    }
}
