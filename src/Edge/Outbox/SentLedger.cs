namespace FacilityHub.Edge.Outbox;

/// <summary>
/// When each message was last published in the current broker session, so the publisher neither sends a
/// message twice within the ack timeout nor forgets one the hub never acknowledged. A message absent
/// from the ledger, or published longer than the timeout ago, is due. Entries older than the timeout say
/// nothing more than absence, so they are pruned: the ledger holds at most a timeout's worth of publishes.
/// Used by the publisher loop only; not thread-safe.
/// </summary>
internal sealed class SentLedger(TimeSpan ackTimeout)
{
    /// <summary>How long a publish waits for its ack before it is due again; the publisher lengthens it while the hub acknowledges nothing.</summary>
    public TimeSpan AckTimeout { get; set; } = ackTimeout;

    private readonly Dictionary<long, DateTimeOffset> _sentAt = [];

    // Publishes in time order; an entry whose time no longer matches _sentAt was re-sent later.
    private readonly Queue<(long Seq, DateTimeOffset At)> _order = new();

    public int Count => _sentAt.Count;

    public void MarkSent(long seq, DateTimeOffset now)
    {
        _sentAt[seq] = now;
        _order.Enqueue((seq, now));
    }

    /// <summary>Published less than the ack timeout ago: not yet due for a re-send.</summary>
    public bool IsAwaitingAck(long seq, DateTimeOffset now) =>
        _sentAt.TryGetValue(seq, out var at) && now - at < AckTimeout;

    public void Acknowledge(IReadOnlyList<SeqRange> ranges)
    {
        foreach (var range in ranges)
        {
            // A range wider than the ledger is cheaper to check entry by entry than seq by seq.
            if ((ulong)(range.To - range.From) < (ulong)_sentAt.Count)
            {
                for (var seq = range.From; seq <= range.To; seq++)
                {
                    _sentAt.Remove(seq);
                }
            }
            else
            {
                foreach (var seq in _sentAt.Keys.Where(s => s >= range.From && s <= range.To).ToList())
                {
                    _sentAt.Remove(seq);
                }
            }
        }
    }

    /// <summary>When the earliest unacknowledged publish times out, or null when nothing awaits an ack.</summary>
    public DateTimeOffset? NextTimeout(DateTimeOffset now)
    {
        Prune(now);
        while (_order.TryPeek(out var head))
        {
            if (_sentAt.TryGetValue(head.Seq, out var at) && at == head.At)
            {
                return head.At + AckTimeout;
            }
            _order.Dequeue();
        }
        return null;
    }

    /// <summary>Forgets publishes that have timed out (they are due again either way).</summary>
    public void Prune(DateTimeOffset now)
    {
        while (_order.TryPeek(out var head) && now - head.At >= AckTimeout)
        {
            _order.Dequeue();
            if (_sentAt.TryGetValue(head.Seq, out var at) && at == head.At)
            {
                _sentAt.Remove(head.Seq);
            }
        }
    }

    /// <summary>A new broker session: whatever was in flight on the old one may be lost, so everything is due.</summary>
    public void Clear()
    {
        _sentAt.Clear();
        _order.Clear();
    }
}
