namespace FacilityHub.Hub.Ingest;

/// <summary>
/// Lets one log line through per interval and counts the ones it holds back, so that input from outside
/// (bad messages, refused connections) can never flood the log. Lock-free: called from every receive loop.
/// </summary>
public sealed class LogRateLimiter(TimeProvider time, TimeSpan every)
{
    private long _nextTicks;
    private long _suppressed;

    /// <summary>True when the caller may log now; <paramref name="suppressed"/> is how many were held back since the last one.</summary>
    public bool TryEnter(out long suppressed)
    {
        var now = time.GetTimestamp();
        var next = Interlocked.Read(ref _nextTicks);
        if (now < next || Interlocked.CompareExchange(ref _nextTicks, now + (long)(every.TotalSeconds * time.TimestampFrequency), next) != next)
        {
            Interlocked.Increment(ref _suppressed);
            suppressed = 0;
            return false;
        }
        suppressed = Interlocked.Exchange(ref _suppressed, 0);
        return true;
    }
}
