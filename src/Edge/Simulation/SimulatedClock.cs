namespace FacilityHub.Edge.Simulation;

/// <summary>
/// The simulator's clock: starts at <c>startAt</c> (a past moment, to replay hours of readings) and runs
/// <c>speed</c> times faster than real time until it catches up with real time, then keeps to it. It
/// never runs ahead: the hub refuses a <c>ts</c> more than a few minutes in its future.
/// </summary>
internal sealed class SimulatedClock
{
    private readonly TimeProvider _time;
    private readonly DateTimeOffset _realStart;
    private readonly DateTimeOffset _simulatedStart;
    private readonly double _speed;

    public SimulatedClock(TimeProvider time, DateTimeOffset? startAt, double speed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(speed, 0);
        _time = time;
        _realStart = time.GetUtcNow();
        _simulatedStart = startAt is { } s && s < _realStart ? s : _realStart;
        _speed = speed;
    }

    /// <summary>What the clock showed when it was made: <c>startAt</c>, or real time then.</summary>
    public DateTimeOffset Start => _simulatedStart;

    public DateTimeOffset Now
    {
        get
        {
            var real = _time.GetUtcNow();
            var fast = _simulatedStart + ((real - _realStart) * _speed);
            return fast < real ? fast : real;
        }
    }

    /// <summary>Has the simulated clock caught up with real time (from then on it runs at real speed)?</summary>
    public bool CaughtUp => Now >= _time.GetUtcNow();

    /// <summary>The real moment at which the simulated clock shows <paramref name="simulated"/>.</summary>
    public DateTimeOffset RealTimeAt(DateTimeOffset simulated)
    {
        // Simulated = min(fast(t), t) reaches the target once both the fast clock and real time have.
        var fastReaches = _realStart + ((simulated - _simulatedStart) / _speed);
        return fastReaches > simulated ? fastReaches : simulated;
    }
}
