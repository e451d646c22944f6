using FacilityHub.Edge.Publishing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace FacilityHub.Edge.Outbox;

/// <summary>
/// Publishes from the outbox and removes what the hub acknowledges. Live (newly committed) messages go
/// out at once. Beside them, a backlog pass walks the outbox oldest first and publishes every message
/// that is not awaiting an ack, throttled to <see cref="OutboxOptions.BacklogRatePerSecond"/> so that a
/// long backlog after an outage never delays live readings. A pass starts after every (re)connect, when
/// anything published on the old session may be lost, and whenever a publish has gone
/// <see cref="OutboxOptions.AckTimeout"/> without an ack (a timeout that doubles, up to eightfold, while
/// the hub acknowledges nothing at all). Re-sent messages are the stored bytes: the same
/// <c>ts</c>, <c>seq</c> and payload as the first time. A message leaves the outbox only on the hub's
/// ack, never on the broker's PUBACK.
/// </summary>
internal sealed partial class OutboxPublisher : BackgroundService
{
    // Below Mosquitto's default receive maximum of 20 in-flight QoS 1 messages per client.
    private const int MaxInFlight = 10;

    private const int BacklogReadBatch = 256;

    // Live messages taken per turn before the backlog gets its share and acks are applied.
    private const int MaxLivePerTurn = 64;

    // While the hub acknowledges nothing at all (it is down, the broker queues for it), each timeout pass
    // doubles the wait before the next, up to this many times Outbox:AckTimeout: re-sending the whole
    // outbox every 30 s would only pile copies into the broker's queue for the hub.
    private const int MaxAckTimeoutFactor = 8;

    private static readonly TimeSpan IdleCheck = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan ReportEvery = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan BadAckLogEvery = TimeSpan.FromMinutes(1);

    private readonly OutboxStore _store;
    private readonly OutboxWriter _writer;
    private readonly MqttConnection _connection;
    private readonly OutboxOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<OutboxPublisher> _logger;
    private readonly SentLedger _ledger;
    private readonly BacklogThrottle _throttle;
    private readonly Queue<Task<bool>> _inFlight = new();

    // The backlog pass: (_cursor, _passEnd] of the outbox, read in batches into _passBuffer.
    private int _session;
    private bool _passActive;
    private long _cursor;
    private long _passEnd;
    private readonly Queue<OutgoingMessage> _passBuffer = new();
    private DateTimeOffset _nextPassAt = DateTimeOffset.MaxValue;
    private long _passResent;
    private bool _passAfterTimeout;
    private bool _ackedDuringPass;

    // Counts for the minute's report line; which side uses them: only this loop.
    private long _published;
    private long _resent;
    private long _acked;
    private long _failed;
    private string? _lastFailure;
    private long _badAcks;
    private DateTimeOffset _nextBadAckLog = DateTimeOffset.MinValue;
    private DateTimeOffset _windowStart;

    public OutboxPublisher(
        OutboxStore store,
        OutboxWriter writer,
        MqttConnection connection,
        IOptions<OutboxOptions> options,
        TimeProvider time,
        ILogger<OutboxPublisher> logger)
    {
        _store = store;
        _writer = writer;
        _connection = connection;
        _options = options.Value;
        _time = time;
        _logger = logger;
        _ledger = new SentLedger(_options.AckTimeout);
        _throttle = new BacklogThrottle(_options.BacklogRatePerSecond, time.GetUtcNow());
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _windowStart = _time.GetUtcNow();
        var reportAt = _windowStart + ReportEvery;
        try
        {
            while (true)
            {
                var now = _time.GetUtcNow();
                if (now >= reportAt)
                {
                    Report(now);
                    reportAt = now + ReportEvery;
                }
                if (!_connection.IsConnected)
                {
                    await WaitOfflineAsync(stoppingToken);
                    continue;
                }
                if (_connection.Session != _session)
                {
                    await StartSessionAsync(now);
                }
                ApplyAcks();
                await PublishLiveAsync(stoppingToken);
                await PublishBacklogAsync(stoppingToken);
                await CompleteFinishedAsync();

                var wakeAt = Min(NextWorkAt(_time.GetUtcNow()), reportAt);
                await WaitAsync(wakeAt - _time.GetUtcNow(), waitForConnect: false, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            Report(_time.GetUtcNow());
        }
    }

    /// <summary>
    /// Offline, committed messages are dropped from the hand-over channel (they are in the outbox and go
    /// out with the backlog pass after the reconnect), so the writer never waits on a publisher that
    /// cannot publish.
    /// </summary>
    private async Task WaitOfflineAsync(CancellationToken stoppingToken)
    {
        while (_writer.Committed.TryRead(out _))
        {
        }
        await WaitAsync(IdleCheck, waitForConnect: true, stoppingToken);
    }

    private async Task StartSessionAsync(DateTimeOffset now)
    {
        _session = _connection.Session;
        // Publishes of the old session fail or have failed with it; collect them before starting over.
        while (_inFlight.Count > 0)
        {
            await CompleteAsync(_inFlight.Dequeue());
        }
        _ledger.Clear();
        var waiting = _store.Count;
        StartPass(now);
        if (waiting > 0)
        {
            Log.ResendingAfterConnect(_logger, waiting, _options.BacklogRatePerSecond);
        }
    }

    private void StartPass(DateTimeOffset now)
    {
        _ledger.Prune(now);
        _passActive = true;
        _cursor = long.MinValue;
        _passEnd = _store.LastSeq;
        _passBuffer.Clear();
        _nextPassAt = DateTimeOffset.MaxValue;
        _passResent = 0;
        _passAfterTimeout = false;
        _ackedDuringPass = false;
    }

    private void ApplyAcks()
    {
        List<SeqRange>? ranges = null;
        while (_connection.Acks.TryRead(out var payload))
        {
            if (AckParser.TryParse(payload, out var parsed, out var problem))
            {
                (ranges ??= []).AddRange(parsed);
            }
            else
            {
                BadAck(problem);
            }
        }
        if (ranges is null)
        {
            return;
        }
        _ledger.Acknowledge(ranges);
        try
        {
            _acked += _store.Acknowledge(ranges);
        }
        catch (SqliteException e)
        {
            // The rows stay, so they are re-sent and acknowledged again later: a lost ack costs a re-send.
            Log.AckNotApplied(_logger, e.Message);
        }
        _ackedDuringPass = true;
        if (_ledger.AckTimeout != _options.AckTimeout)
        {
            _ledger.AckTimeout = _options.AckTimeout;
            Log.AcksResumed(_logger, _options.AckTimeout);
        }
    }

    private async Task PublishLiveAsync(CancellationToken stoppingToken)
    {
        for (var taken = 0; taken < MaxLivePerTurn && _connection.IsConnected && _writer.Committed.TryRead(out var message); taken++)
        {
            // Already sent by the backlog pass of a session that started after this message was committed.
            if (!_ledger.IsAwaitingAck(message.Seq, _time.GetUtcNow()))
            {
                await SendAsync(message, resend: false, stoppingToken);
            }
        }
    }

    private async Task PublishBacklogAsync(CancellationToken stoppingToken)
    {
        var now = _time.GetUtcNow();
        if (!_passActive && now >= _nextPassAt)
        {
            StartPass(now);
            _passAfterTimeout = true;
        }
        // At most one burst's worth per turn, so live messages and acks are looked at in between.
        while (_passActive && _connection.IsConnected && PeekDue(now) is { } due && _throttle.TryTake(now))
        {
            _passBuffer.Dequeue();
            await SendAsync(due, resend: true, stoppingToken);
            now = _time.GetUtcNow();
        }
    }

    /// <summary>The next message of the pass that is due, or null (and the pass ends) when there is none.</summary>
    private OutgoingMessage? PeekDue(DateTimeOffset now)
    {
        while (true)
        {
            if (_passBuffer.Count == 0)
            {
                var batch = _store.Read(_cursor, _passEnd, BacklogReadBatch);
                if (batch.Count == 0)
                {
                    EndPass(now);
                    return null;
                }
                foreach (var message in batch)
                {
                    _passBuffer.Enqueue(message);
                }
                _cursor = batch[^1].Seq;
            }
            var next = _passBuffer.Peek();
            if (!_ledger.IsAwaitingAck(next.Seq, now))
            {
                return next;
            }
            _passBuffer.Dequeue();
        }
    }

    private void EndPass(DateTimeOffset now)
    {
        _passActive = false;
        if (_passAfterTimeout && _passResent > 0)
        {
            Log.ResentAfterTimeout(_logger, _passResent, _ledger.AckTimeout);
            if (!_ackedDuringPass && _ledger.AckTimeout < _options.AckTimeout * MaxAckTimeoutFactor)
            {
                _ledger.AckTimeout = Min(_ledger.AckTimeout * 2, _options.AckTimeout * MaxAckTimeoutFactor);
                Log.BackingOff(_logger, _ledger.AckTimeout);
            }
        }
        // The next pass re-sends whatever then still lacks an ack: when the earliest outstanding
        // publish times out, or one timeout from now if nothing is outstanding.
        _nextPassAt = _ledger.NextTimeout(now) ?? now + _ledger.AckTimeout;
    }

    private async Task SendAsync(OutgoingMessage message, bool resend, CancellationToken stoppingToken)
    {
        while (_inFlight.Count >= MaxInFlight)
        {
            await CompleteAsync(_inFlight.Dequeue());
        }
        _ledger.MarkSent(message.Seq, _time.GetUtcNow());
        _inFlight.Enqueue(_connection.PublishAsync(message, stoppingToken));
        if (resend)
        {
            _resent++;
            _passResent++;
        }
        else
        {
            _published++;
        }
    }

    private async Task CompleteFinishedAsync()
    {
        while (_inFlight.TryPeek(out var head) && head.IsCompleted)
        {
            await CompleteAsync(_inFlight.Dequeue());
        }
    }

    private async Task CompleteAsync(Task<bool> publish)
    {
        try
        {
            if (await publish)
            {
                return;
            }
            _lastFailure = "refused by the broker";
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _lastFailure = e.Message;
        }
        // Still in the outbox and in the ledger: re-sent after the ack timeout, or after the reconnect.
        _failed++;
    }

    /// <summary>When there is next something to do without new input: a backlog token, or the next pass.</summary>
    private DateTimeOffset NextWorkAt(DateTimeOffset now)
    {
        var at = now + IdleCheck;
        if (_passActive)
        {
            at = Min(at, _throttle.NextTokenAt(now));
        }
        else
        {
            at = Min(at, _nextPassAt);
        }
        return at;
    }

    /// <summary>Waits for a committed message, an ack, the connection (when offline) or the timeout.</summary>
    private async Task WaitAsync(TimeSpan timeout, bool waitForConnect, CancellationToken stoppingToken)
    {
        if (timeout <= TimeSpan.Zero)
        {
            return;
        }
        using var wake = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var waits = new List<Task>(4)
        {
            _writer.Committed.WaitToReadAsync(wake.Token).AsTask(),
            _connection.Acks.WaitToReadAsync(wake.Token).AsTask(),
            Task.Delay(timeout, _time, wake.Token),
        };
        if (waitForConnect)
        {
            waits.Add(_connection.WaitUntilConnectedAsync(wake.Token));
        }
        await Task.WhenAny(waits);
        // Cancels the waits that did not finish, so none of them lingers on a channel.
        await wake.CancelAsync();
        stoppingToken.ThrowIfCancellationRequested();
    }

    private void BadAck(string problem)
    {
        _badAcks++;
        var now = _time.GetUtcNow();
        if (now < _nextBadAckLog)
        {
            return;
        }
        _nextBadAckLog = now + BadAckLogEvery;
        Log.BadAck(_logger, _connection.AckTopic, problem, _badAcks);
    }

    private void Report(DateTimeOffset now)
    {
        var window = TimeSpan.FromSeconds(Math.Round((now - _windowStart).TotalSeconds));
        _windowStart = now;
        var stats = _store.Stats();
        Log.Published(_logger, _published, _resent, window, _acked, stats.Count, stats.OldestUnackedSeconds(now));
        if (_failed > 0)
        {
            Log.Failed(_logger, _failed, window, _lastFailure);
        }
        _published = _resent = _acked = _failed = 0;
        _lastFailure = null;
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
