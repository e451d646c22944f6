namespace FacilityHub.Edge.Publishing;

/// <summary>
/// The agent's one <c>seq</c> for all its messages. It starts above both the Unix time in milliseconds
/// when the process started and <paramref name="floor"/>, the highest <c>seq</c> the outbox ever
/// committed, so it keeps growing across restarts whatever the publishing rate was, and even on a
/// machine whose clock went back.
/// </summary>
internal sealed class SequenceCounter(TimeProvider time, long floor = 0)
{
    private long _last = Math.Max(time.GetUtcNow().ToUnixTimeMilliseconds(), floor);

    public long Next() => Interlocked.Increment(ref _last);
}
