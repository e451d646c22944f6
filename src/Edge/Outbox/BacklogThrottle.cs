namespace FacilityHub.Edge.Outbox;

/// <summary>
/// A token bucket for backlog publishes: <c>rate</c> a second, with a burst of a tenth of a second's
/// worth so that a loop waking every few milliseconds still reaches the rate. Live messages do not take
/// tokens; they always go first.
/// </summary>
internal sealed class BacklogThrottle
{
    private readonly double _rate;
    private readonly double _burst;
    private double _tokens;
    private DateTimeOffset _filledAt;

    public BacklogThrottle(int ratePerSecond, DateTimeOffset now)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(ratePerSecond, 1);
        _rate = ratePerSecond;
        _burst = Math.Max(1, ratePerSecond / 10.0);
        _tokens = _burst;
        _filledAt = now;
    }

    public bool TryTake(DateTimeOffset now)
    {
        Refill(now);
        if (_tokens < 1)
        {
            return false;
        }
        _tokens--;
        return true;
    }

    /// <summary>When the next token is there (now, if one is).</summary>
    public DateTimeOffset NextTokenAt(DateTimeOffset now)
    {
        Refill(now);
        return _tokens >= 1 ? now : now + TimeSpan.FromSeconds((1 - _tokens) / _rate);
    }

    private void Refill(DateTimeOffset now)
    {
        var elapsed = (now - _filledAt).TotalSeconds;
        if (elapsed > 0)
        {
            _tokens = Math.Min(_burst, _tokens + (elapsed * _rate));
            _filledAt = now;
        }
    }
}
