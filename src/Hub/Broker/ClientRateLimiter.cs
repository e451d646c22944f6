using System.Collections.Concurrent;

namespace FacilityHub.Hub.Broker;

/// <summary>
/// A token bucket per MQTT client id: <see cref="RatePerSecond"/> tokens a second, at most <see cref="Burst"/>
/// saved up. Pure and clock-driven (<see cref="TimeProvider"/>), so tests move time by hand.
/// <para>
/// <see cref="Acquire"/> never refuses: a message beyond the rate takes a token from the future and is told
/// how long to wait for it. The embedded broker awaits that wait inside its publish interceptor, i.e. in the
/// client's own receive loop, before the PUBACK: the client's in-flight window fills and TCP flow control
/// holds the rest of its traffic in its own socket. The hub spends one timer on it, not CPU or memory, other
/// clients' loops are untouched, and nothing is lost: a legitimate agent draining a long backlog is slowed
/// to the limit, not cut off. Disconnecting instead was rejected: the agent would reconnect and resend its
/// whole in-flight window each time, costing the hub more than holding it back does.
/// </para>
/// </summary>
public sealed class ClientRateLimiter
{
    /// <summary>Debt beyond this many seconds of tokens is not kept: the wait a message is told stays bounded.</summary>
    private static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan SweepEvery = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<string, Bucket> _buckets = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private long _nextSweep;

    public ClientRateLimiter(double ratePerSecond, int burst, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(ratePerSecond);
        ArgumentOutOfRangeException.ThrowIfLessThan(burst, 1);
        RatePerSecond = ratePerSecond;
        Burst = burst;
        _time = time;
        _nextSweep = time.GetTimestamp();
    }

    public double RatePerSecond { get; }

    public int Burst { get; }

    /// <summary>Clients with a bucket that is not full; a full bucket is the same as none, so idle clients cost nothing.</summary>
    public int TrackedClients => _buckets.Count;

    /// <summary>Takes a token for one message of <paramref name="clientId"/>: zero when within its rate, else how long until its token is due.</summary>
    public TimeSpan Acquire(string clientId)
    {
        var now = _time.GetTimestamp();
        var bucket = _buckets.GetOrAdd(clientId, static (_, state) => new Bucket(state.Burst, state.Now), (Burst, Now: now));
        TimeSpan wait;
        lock (bucket)
        {
            var elapsed = _time.GetElapsedTime(bucket.Updated, now).TotalSeconds;
            bucket.Updated = now;
            bucket.Tokens = Math.Max(Math.Min(Burst, bucket.Tokens + elapsed * RatePerSecond), -MaxWait.TotalSeconds * RatePerSecond) - 1;
            wait = bucket.Tokens >= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(-bucket.Tokens / RatePerSecond);
        }
        Sweep(now);
        return wait;
    }

    private void Sweep(long now)
    {
        var next = Interlocked.Read(ref _nextSweep);
        if (now < next || Interlocked.CompareExchange(ref _nextSweep, now + (long)(SweepEvery.TotalSeconds * _time.TimestampFrequency), next) != next)
        {
            return;
        }
        foreach (var (id, bucket) in _buckets)
        {
            bool full;
            lock (bucket)
            {
                full = bucket.Tokens + _time.GetElapsedTime(bucket.Updated, now).TotalSeconds * RatePerSecond >= Burst;
            }
            // A client that publishes again between this check and the removal starts from a full bucket, which
            // is what it had earned anyway after an idle spell this long.
            if (full)
            {
                _buckets.TryRemove(new KeyValuePair<string, Bucket>(id, bucket));
            }
        }
    }

    private sealed class Bucket(double tokens, long updated)
    {
        // Guarded by lock (this).
        public double Tokens = tokens;
        public long Updated = updated;
    }
}
