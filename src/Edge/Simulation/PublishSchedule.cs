namespace FacilityHub.Edge.Simulation;

/// <summary>
/// When each device publishes. Everything is due at the start, so a dashboard has data at once; after
/// that each device keeps its own slot in the interval (a phase drawn from its id), so a few hundred
/// devices spread their messages evenly instead of publishing in one burst per interval. Slots sit on a
/// grid counted from the Unix epoch, so restarts keep the same rhythm.
/// </summary>
internal sealed class PublishSchedule
{
    private const ulong SaltPhase = 0xC001;

    private readonly PriorityQueue<SimulatedDevice, long> _queue = new();
    private readonly Dictionary<string, long> _phaseTicks = new(StringComparer.Ordinal);
    private readonly long _intervalTicks;

    public PublishSchedule(IReadOnlyList<SimulatedDevice> devices, TimeSpan interval, int seed, DateTimeOffset start)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        _intervalTicks = interval.Ticks;
        foreach (var device in devices)
        {
            _phaseTicks[device.Id] = (long)(Noise.Unit(seed, device.Id, 0, SaltPhase) * _intervalTicks);
            _queue.Enqueue(device, start.UtcTicks);
        }
    }

    public int Count => _queue.Count;

    /// <summary>When the next device is due, or null when there are no devices.</summary>
    public DateTimeOffset? NextDue => _queue.TryPeek(out _, out var ticks) ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;

    /// <summary>Adds to <paramref name="due"/> every device due at or before <paramref name="now"/> and books its next slot.</summary>
    public void TakeDue(DateTimeOffset now, List<SimulatedDevice> due)
    {
        while (_queue.TryPeek(out var device, out var dueTicks) && dueTicks <= now.UtcTicks)
        {
            _queue.Dequeue();
            due.Add(device);
            // At least half an interval after this publish (the start round is off the grid), and never
            // in the past: a loop that fell behind skips the slots it missed rather than bursting.
            var after = Math.Max(now.UtcTicks, dueTicks + (_intervalTicks / 2));
            _queue.Enqueue(device, SlotAfter(device.Id, after));
        }
    }

    /// <summary>The device's first grid slot strictly after <paramref name="ticks"/>.</summary>
    private long SlotAfter(string id, long ticks)
    {
        var phase = _phaseTicks[id];
        return ((Noise.FloorDiv(ticks - phase, _intervalTicks) + 1) * _intervalTicks) + phase;
    }
}
