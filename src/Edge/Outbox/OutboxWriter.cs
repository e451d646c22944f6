using System.Threading.Channels;
using FacilityHub.Edge.Publishing;
using Microsoft.Data.Sqlite;

namespace FacilityHub.Edge.Outbox;

/// <summary>
/// The one way into the outbox. Sources hand messages over with <see cref="EnqueueAsync"/>; this loop
/// commits whatever has arrived since its last commit in one transaction (group commit: one fsync for
/// many messages) and only then passes the messages on to the publisher. Nothing is published before it
/// is durable. A full queue makes sources wait rather than drop.
/// </summary>
internal sealed partial class OutboxWriter : BackgroundService
{
    // One transaction's worth: large enough to amortise the fsync, small enough to hand messages on quickly.
    private const int MaxBatch = 1000;

    private const int QueueCapacity = 10_000;

    private static readonly TimeSpan ExpiryCheckEvery = TimeSpan.FromMinutes(1);

    private static readonly TimeSpan RetryEvery = TimeSpan.FromSeconds(5);

    private readonly OutboxStore _store;
    private readonly TimeProvider _time;
    private readonly ILogger<OutboxWriter> _logger;

    private readonly Channel<OutgoingMessage> _incoming = Channel.CreateBounded<OutgoingMessage>(
        new BoundedChannelOptions(QueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    // Committed messages on their way to the publisher, which reads them even while offline (and then
    // drops them: they are in the outbox and go out with the backlog after the reconnect).
    private readonly Channel<OutgoingMessage> _committed = Channel.CreateBounded<OutgoingMessage>(
        new BoundedChannelOptions(QueueCapacity) { SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait });

    public OutboxWriter(OutboxStore store, TimeProvider time, ILogger<OutboxWriter> logger)
    {
        _store = store;
        _time = time;
        _logger = logger;
    }

    /// <summary>Messages committed to the outbox, in seq order, for the publisher.</summary>
    public ChannelReader<OutgoingMessage> Committed => _committed.Reader;

    /// <summary>Hands a message over; it is durable, and only then published, once the next commit is done.</summary>
    public ValueTask EnqueueAsync(OutgoingMessage message, CancellationToken cancellationToken) =>
        _incoming.Writer.WriteAsync(message, cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<OutgoingMessage>(MaxBatch);
        var nextExpiryCheck = _time.GetUtcNow();
        try
        {
            while (true)
            {
                if (_time.GetUtcNow() >= nextExpiryCheck)
                {
                    nextExpiryCheck = _time.GetUtcNow() + ExpiryCheckEvery;
                    try
                    {
                        _store.EvictExpired();
                    }
                    catch (SqliteException e)
                    {
                        // Tried again at the next check; meanwhile the size bound still holds.
                        Log.ExpiryFailed(_logger, e.Message);
                    }
                }
                if (!await WaitForMessagesAsync(nextExpiryCheck - _time.GetUtcNow(), stoppingToken))
                {
                    continue;
                }
                Take(batch);
                var evicted = await CommitAsync(batch, stoppingToken);
                var committed = batch.Where(m => !evicted.Contains(m.Seq)).ToList();
                batch.Clear();
                foreach (var message in committed)
                {
                    await _committed.Writer.WriteAsync(message, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Whatever sources handed over before the stop is committed, so a clean stop loses nothing
            // they were told was queued; it goes out with the backlog after the next start.
            Take(batch, int.MaxValue);
            try
            {
                _store.Append(batch);
                Log.Flushed(_logger, batch.Count);
            }
            catch (SqliteException e)
            {
                Log.CommitFailed(_logger, batch.Count, e.Message, TimeSpan.Zero);
            }
        }
    }

    /// <summary>
    /// Commits the batch, retrying while the disk refuses (full, read-only, I/O error): sources wait on the
    /// full queue meanwhile, and nothing is published that is not durable.
    /// </summary>
    private async Task<IReadOnlySet<long>> CommitAsync(List<OutgoingMessage> batch, CancellationToken stoppingToken)
    {
        while (true)
        {
            try
            {
                return _store.Append(batch);
            }
            catch (SqliteException e)
            {
                Log.CommitFailed(_logger, batch.Count, e.Message, RetryEvery);
            }
            await Task.Delay(RetryEvery, _time, stoppingToken);
        }
    }

    private async Task<bool> WaitForMessagesAsync(TimeSpan timeout, CancellationToken stoppingToken)
    {
        if (_incoming.Reader.TryPeek(out _))
        {
            return true;
        }
        using var timer = new CancellationTokenSource(timeout > TimeSpan.Zero ? timeout : TimeSpan.Zero, _time);
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, timer.Token);
        try
        {
            return await _incoming.Reader.WaitToReadAsync(wait.Token);
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private void Take(List<OutgoingMessage> batch, int max = MaxBatch)
    {
        while (batch.Count < max && _incoming.Reader.TryRead(out var message))
        {
            batch.Add(message);
        }
    }
}
