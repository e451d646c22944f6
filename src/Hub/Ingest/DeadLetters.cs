using System.Collections.Concurrent;
using System.Text;
using System.Text.Unicode;
using FacilityHub.Contracts.Validation;

namespace FacilityHub.Hub.Ingest;

/// <summary>A refused message as the dead-letter store keeps it (PROTOCOL.md: topic, reason, arrival time, first 1 KiB).</summary>
public sealed record DeadLetter(string Topic, RejectReason Reason, string Detail, DateTimeOffset ArrivedAt, string PayloadHead)
{
    /// <summary>
    /// The point's timestamp. Two refusals in the same millisecond would overwrite each other in InfluxDB
    /// (same series, same time), so the store gives each its own millisecond.
    /// </summary>
    public DateTimeOffset StoredAt { get; init; } = ArrivedAt;

    public const int HeadBytes = 1024;

    /// <summary>The first 1 KiB as text; bytes that are not UTF-8 are kept as base64 so nothing is altered.</summary>
    public static string Head(ReadOnlySpan<byte> payload)
    {
        var head = payload.Length <= HeadBytes ? payload : payload[..HeadBytes];
        if (Utf8.IsValid(head))
        {
            return Encoding.UTF8.GetString(head);
        }
        // The cut may have split a character; back off up to 3 bytes before falling back to base64.
        for (var cut = 1; cut <= 3 && head.Length - cut > 0; cut++)
        {
            if (payload.Length > HeadBytes && Utf8.IsValid(head[..^cut]))
            {
                return Encoding.UTF8.GetString(head[..^cut]);
            }
        }
        return "base64:" + Convert.ToBase64String(head);
    }
}

/// <summary>
/// Keeps the most recent refusals in memory for the API and hands every refusal to storage as a
/// <c>rejected</c> point. Rate-limits the log: bad input must not be able to flood it.
/// </summary>
public sealed partial class DeadLetters(ILogger<DeadLetters> logger, TimeProvider time)
{
    private const int Recent = 200;
    private static readonly TimeSpan LogEvery = TimeSpan.FromSeconds(10);

    private readonly ConcurrentQueue<DeadLetter> _recent = new();
    private readonly ConcurrentDictionary<RejectReason, long> _counts = new();
    private readonly Lock _gate = new();
    private readonly LogRateLimiter _logLimit = new(time, LogEvery);
    private long _lastStoredMs;

    public IReadOnlyDictionary<RejectReason, long> Counts => _counts;

    public IReadOnlyList<DeadLetter> RecentFirst(int limit) => _recent.Reverse().Take(limit).ToList();

    /// <summary>Records a refusal and returns it with its own storage timestamp.</summary>
    public DeadLetter Record(string topic, ReadOnlySpan<byte> payload, Rejection rejection, DateTimeOffset arrivedAt)
    {
        var head = DeadLetter.Head(payload);
        DeadLetter letter;
        lock (_gate)
        {
            var ms = Math.Max(arrivedAt.ToUnixTimeMilliseconds(), _lastStoredMs + 1);
            _lastStoredMs = ms;
            letter = new DeadLetter(Clip(topic), rejection.Reason, rejection.Detail, arrivedAt, head)
            {
                StoredAt = DateTimeOffset.FromUnixTimeMilliseconds(ms),
            };
        }
        _counts.AddOrUpdate(rejection.Reason, 1, (_, n) => n + 1);
        _recent.Enqueue(letter);
        while (_recent.Count > Recent && _recent.TryDequeue(out _))
        {
        }
        LogRateLimited(letter);
        return letter;
    }

    private void LogRateLimited(DeadLetter letter)
    {
        if (_logLimit.TryEnter(out var suppressed))
        {
            LogRejected(logger, letter.Reason.Code(), letter.Topic, letter.Detail, suppressed);
        }
    }

    private static string Clip(string topic) => topic.Length <= 256 ? topic : topic[..256] + "…";

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rejected message on {Topic}: {Reason} ({Detail}); {Suppressed} more rejections not logged since the last one")]
    private static partial void LogRejected(ILogger logger, string reason, string topic, string detail, long suppressed);
}
