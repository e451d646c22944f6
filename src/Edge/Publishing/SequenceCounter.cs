namespace FacilityHub.Edge.Publishing;

/// <summary>
/// The agent's one <c>seq</c> for all its messages. It starts at the Unix time in milliseconds when the
/// process started, so it keeps growing across restarts without a file: a restarted agent starts above
/// where it stopped as long as it published fewer than 1000 messages a second on average (the
/// simulator publishes tens).
/// </summary>
internal sealed class SequenceCounter(TimeProvider time)
{
    private long _last = time.GetUtcNow().ToUnixTimeMilliseconds();

    public long Next() => Interlocked.Increment(ref _last);
}
