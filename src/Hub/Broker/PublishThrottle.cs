using System.Collections.Concurrent;
using System.Text;
using FacilityHub.Hub.Ingest;
using FacilityHub.Hub.Storage;
using Microsoft.Extensions.Options;

namespace FacilityHub.Hub.Broker;

/// <summary>
/// The embedded broker's per-client publish rate limit (<see cref="ClientRateLimiter"/> says how, and why by
/// holding back rather than disconnecting), and the record of who was held back: a rate-limited log line per
/// client, <c>/api/stats</c> <c>throttling</c>, and a <c>throttled</c> point in InfluxDB at the same pace as the log.
/// </summary>
public sealed partial class PublishThrottle(
    IOptions<IngestOptions> options,
    StorageQueue storage,
    TimeProvider time,
    ILogger<PublishThrottle> logger)
{
    /// <summary>How often a held-back client is logged and recorded, and how long it stays in the stats after its last delay.</summary>
    public static readonly TimeSpan ReportEvery = TimeSpan.FromSeconds(10);

    /// <summary>Bounds the per-client records an attacker with many client ids could make the hub keep.</summary>
    private const int MaxRecorded = 1000;

    private readonly ClientRateLimiter? _limiter = options.Value.MaxMessagesPerClientPerSecond > 0
        ? new ClientRateLimiter(options.Value.MaxMessagesPerClientPerSecond, options.Value.ClientBurstMessages, time)
        : null;

    private readonly ConcurrentDictionary<string, ThrottledClient> _clients = new(StringComparer.Ordinal);
    private long _delayedMessages;
    private long _throttledClients;

    /// <summary>Waits until this client's message is within its rate; returns at once for a client within it, or when the limit is off.</summary>
    public async ValueTask WaitTurnAsync(string clientId, CancellationToken ct)
    {
        if (_limiter is null)
        {
            return;
        }
        var wait = _limiter.Acquire(clientId);
        if (wait <= TimeSpan.Zero)
        {
            return;
        }
        Interlocked.Increment(ref _delayedMessages);
        if (Note(clientId) is { } report)
        {
            LogThrottled(logger, report.ClientId, report.RatePerSecond, _limiter.RatePerSecond, _limiter.Burst, report.Delayed);
            var sb = new StringBuilder(128);
            LineProtocol.Start(sb, "throttled")
                .Tag("client", report.ClientId)
                .Field("rate", Math.Round(report.RatePerSecond, 1))
                .Field("limit", _limiter.RatePerSecond)
                .Field("delayed", report.Delayed)
                .Timestamp(report.At);
            await storage.EnqueueAsync(new PendingPoint(sb.ToString()), ct);
        }
        await Task.Delay(wait, time, ct);
    }

    public ThrottlingStats Stats()
    {
        var now = time.GetUtcNow();
        IReadOnlyList<ThrottledClientStats> recent = [.. _clients.Values
            .Select(c => c.Snapshot())
            .Where(c => now - c.LastDelayed < ReportEvery * 6)
            .OrderByDescending(c => c.DelayedMessages)
            .Take(20)];
        return new ThrottlingStats(
            _limiter?.RatePerSecond ?? 0, _limiter?.Burst ?? 0,
            Interlocked.Read(ref _delayedMessages), Interlocked.Read(ref _throttledClients), recent);
    }

    /// <summary>Counts a delayed message; returns what to report when this client is due a log line and a point.</summary>
    private Report? Note(string clientId)
    {
        var now = time.GetUtcNow();
        var client = _clients.GetOrAdd(clientId, static (id, at) => new ThrottledClient(id, at), now);
        if (client.IsNew(now))
        {
            Interlocked.Increment(ref _throttledClients);
            if (_clients.Count > MaxRecorded)
            {
                Forget(now);
            }
        }
        return client.Delayed(now, ReportEvery);
    }

    private void Forget(DateTimeOffset now)
    {
        foreach (var (id, client) in _clients)
        {
            if (now - client.Snapshot().LastDelayed > ReportEvery)
            {
                _clients.TryRemove(id, out _);
            }
        }
    }

    private readonly record struct Report(string ClientId, DateTimeOffset At, double RatePerSecond, long Delayed);

    /// <summary>Per held-back client: when it started, how many of its messages waited, and its admitted rate per report window.</summary>
    private sealed class ThrottledClient(string clientId, DateTimeOffset since)
    {
        private readonly Lock _gate = new();
        private readonly string _shownId = clientId.Length <= 64 ? clientId : clientId[..64] + "…";
        private DateTimeOffset _since = since;
        private DateTimeOffset _last;
        private DateTimeOffset _windowStart = since;
        private long _windowCount;
        private long _delayed;
        private long _delayedSinceReport;
        private DateTimeOffset _nextReport = since;
        private double _rate;

        /// <summary>True the first time, and again when the client comes back after a quiet spell.</summary>
        public bool IsNew(DateTimeOffset now)
        {
            lock (_gate)
            {
                if (_last == default || now - _last > ReportEvery * 6)
                {
                    _since = now;
                    _windowStart = now;
                    _windowCount = 0;
                    // The first report waits a second, so that it can say at what rate the client is held.
                    _nextReport = now + TimeSpan.FromSeconds(1);
                    return true;
                }
                return false;
            }
        }

        public Report? Delayed(DateTimeOffset now, TimeSpan every)
        {
            lock (_gate)
            {
                _last = now;
                _delayed++;
                _delayedSinceReport++;
                _windowCount++;
                if (now < _nextReport)
                {
                    return null;
                }
                // The window's first and last messages both count, so it holds count - 1 intervals; the last one
                // opens the next window.
                var window = (now - _windowStart).TotalSeconds;
                _rate = window > 0 ? (_windowCount - 1) / window : 0;
                var report = new Report(_shownId, now, _rate, _delayedSinceReport);
                _windowStart = now;
                _windowCount = 1;
                _delayedSinceReport = 0;
                _nextReport = now + every;
                return report;
            }
        }

        public ThrottledClientStats Snapshot()
        {
            lock (_gate)
            {
                return new ThrottledClientStats(_shownId, _since, _last, _delayed, Math.Round(_rate, 1));
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Client {ClientId} reached its publish limit of {Limit} msg/s (burst {Burst}) and is held to it: acknowledgements held back, {Delayed} messages delayed at {Rate:0} msg/s since the last report")]
    private static partial void LogThrottled(ILogger logger, string clientId, double rate, double limit, int burst, long delayed);
}

/// <summary>On <c>/api/stats</c>: the limit, how many messages and clients were held back, and the clients held back in the last minute.</summary>
public sealed record ThrottlingStats(double LimitPerSecond, int Burst, long DelayedMessages, long ThrottledClients, IReadOnlyList<ThrottledClientStats> Recent);

/// <summary>
/// <see cref="RatePerSecond"/> is the rate of the client's delayed messages over the last report window, i.e. the rate
/// it is held to; how much more it wanted to send cannot be seen: that waits in its own socket.
/// </summary>
public sealed record ThrottledClientStats(string ClientId, DateTimeOffset Since, DateTimeOffset LastDelayed, long DelayedMessages, double RatePerSecond);
