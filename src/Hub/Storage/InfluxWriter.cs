using System.Text;
using FacilityHub.Contracts.Validation;
using FacilityHub.Hub.Ingest;
using Microsoft.Extensions.Options;

namespace FacilityHub.Hub.Storage;

/// <summary>
/// The batching sink in front of InfluxDB (modelled on Serilog's BatchingSink): a single reader on the
/// bounded <see cref="StorageQueue"/> that batches by size or time. Where Serilog may drop a batch, this
/// never does:
/// <list type="bullet">
/// <item>5xx, 429, timeouts: retried with backoff (honouring Retry-After) for <see cref="InfluxOptions.SpillAfter"/>,
/// then the batch goes to the fsync'd <see cref="Spill"/> and everything after it follows it there until the
/// spill has drained, so a device's points reach InfluxDB in order;</item>
/// <item>a 4xx: the batch is split until the refused lines are found; they are dead-lettered, the rest written.</item>
/// </list>
/// A message is acknowledged to its agent only once its line is in InfluxDB or in the spill.
/// </summary>
public sealed partial class InfluxWriter(
    StorageQueue queue,
    InfluxClient influx,
    Spill spill,
    Acknowledgements acks,
    DeadLetters deadLetters,
    HubMetrics metrics,
    IOptions<InfluxOptions> options,
    TimeProvider time,
    ILogger<InfluxWriter> logger) : BackgroundService
{
    private static readonly TimeSpan FailureLogEvery = TimeSpan.FromSeconds(30);

    private readonly InfluxOptions _options = options.Value;

    // Writer-loop state only (single reader): the batch being filled, retry pacing and the failure-log throttle.
    private List<PendingPoint> _batch = new(options.Value.BatchSize);
    private TimeSpan? _retryAfter;
    private int _drainAttempt;
    private DateTimeOffset _nextDrainAttempt;
    private DateTimeOffset _failingSince;
    private DateTimeOffset _lastFailureLog;

    // Writes whose request is out, oldest first: up to Influx:WritesInFlight, so that InfluxDB parses one batch while
    // the next fills (with one request at a time influxd sat half idle while points queued up).
    private readonly Queue<InFlightWrite> _inFlight = new();

    // Batches whose write failed, oldest first, retried (then spilled) one after another.
    private readonly Queue<List<PendingPoint>> _failed = new();

    // Batch lists and request bodies are reused (new ones per batch were large-object allocations each time). A body
    // goes back only after a successful write: a request that failed or timed out might still be reading it.
    private readonly Stack<List<PendingPoint>> _spareBatches = new();
    private readonly Stack<byte[]> _spareBodies = new();

    /// <summary>True while writes fail or the spill still holds points; /healthz reports it.</summary>
    public bool IsFailing => _failingSince != default || !spill.IsEmpty;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!spill.IsEmpty)
        {
            LogResumingSpill(logger, spill.PendingLines, spill.DirectoryPath);
        }
        try
        {
            await TryCreateDatabaseAsync(stoppingToken);
            while (!stoppingToken.IsCancellationRequested)
            {
                if (spill.IsEmpty)
                {
                    await WriteDirectAsync(stoppingToken);
                }
                else
                {
                    await DrainSpillAsync(stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        SpillOnShutdown();
    }

    /// <summary>
    /// The normal path: queue → InfluxDB, with up to <see cref="InfluxOptions.WritesInFlight"/> requests out. A write
    /// that fails stops the pipeline: the others are awaited, then the failed batches are retried oldest first and,
    /// when InfluxDB stays away, spilled (and everything after them follows them into the spill).
    /// </summary>
    private async Task WriteDirectAsync(CancellationToken ct)
    {
        if (_inFlight.Count == 0)
        {
            if (!await queue.WaitToReadAsync(ct))
            {
                return;
            }
        }
        else if (_inFlight.Count >= _options.WritesInFlight)
        {
            // No room for another request: the oldest write's answer is the next thing to do.
            await CompleteOldestAsync(ct);
            return;
        }
        else if (queue.Depth == 0)
        {
            // Nothing new to send yet: whichever comes first, new points or the oldest write's answer.
            var oldest = _inFlight.Peek().Result;
            if (await Task.WhenAny(queue.WaitToReadAsync(ct).AsTask(), oldest) == oldest)
            {
                await CompleteOldestAsync(ct);
                return;
            }
        }
        await FillBatchAsync(ct);
        if (_batch.Count == 0)
        {
            return;
        }
        var points = _batch;
        _batch = _spareBatches.TryPop(out var spare) ? spare : new(_options.BatchSize);
        var (body, result) = Send(points, ct);
        _inFlight.Enqueue(new InFlightWrite(points, body, result));
    }

    /// <summary>Takes the oldest write's answer; on failure, the slow path for it and for every write still out.</summary>
    private async Task CompleteOldestAsync(CancellationToken ct)
    {
        while (_inFlight.TryPeek(out var write))
        {
            // Dequeued only once answered: should the hub stop meanwhile, SpillOnShutdown still has the points.
            var result = await write.Result;
            _inFlight.Dequeue();
            Recycle(write.Body, result);
            if (await HandleAsync(write.Points, result, ct))
            {
                Recycle(write.Points);
            }
            else
            {
                _failed.Enqueue(write.Points);
            }
            if (_failed.Count == 0)
            {
                // All well: the writes behind it are still on their way.
                return;
            }
        }
        while (_failed.TryPeek(out var points))
        {
            await StoreOrSpillAsync(points, ct);
            _failed.Dequeue();
        }
    }

    /// <summary>Retries a batch whose write failed until InfluxDB takes it or, after <see cref="InfluxOptions.SpillAfter"/>, the spill does.</summary>
    private async Task StoreOrSpillAsync(List<PendingPoint> points, CancellationToken ct)
    {
        var spillAt = time.GetUtcNow() + _options.SpillAfter;
        for (var attempt = 0; ; attempt++)
        {
            var now = time.GetUtcNow();
            // Behind an earlier spilled batch, a batch goes to the spill at once: points reach InfluxDB in the order they came.
            var first = spill.IsEmpty;
            if ((now >= spillAt || !first) && TrySpill(points))
            {
                Recycle(points);
                if (first)
                {
                    LogSpilling(logger, spill.DirectoryPath);
                }
                _nextDrainAttempt = now + NextDelay(_drainAttempt = 0);
                return;
            }
            var delay = NextDelay(attempt);
            // Past spillAt the spill cannot take it either (disk full?): keep retrying; publishers slow down meanwhile.
            await Task.Delay(now >= spillAt || delay < spillAt - now ? delay : spillAt - now, time, ct);
            if (await TryWriteAsync(points, ct))
            {
                Recycle(points);
                return;
            }
        }
    }

    /// <summary>While the spill holds points, new points join it (in order) and its head is written when InfluxDB answers.</summary>
    private async Task DrainSpillAsync(CancellationToken ct)
    {
        Drain();
        if (_batch.Count > 0 && TrySpill(_batch))
        {
            // On failure the batch stays in memory and is tried again next round, behind nothing newer.
            _batch.Clear();
        }
        var now = time.GetUtcNow();
        if (now < _nextDrainAttempt)
        {
            // Wait for the next attempt, but wake to spill whatever arrives meanwhile.
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(ct);
            wait.CancelAfter(_nextDrainAttempt - now);
            try
            {
                await queue.WaitToReadAsync(wait.Token);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
            }
            return;
        }
        var chunk = spill.ReadHead(_options.BatchSize);
        if (chunk is null)
        {
            spill.CloseIfDrained();
            if (spill.IsEmpty)
            {
                LogSpillDrained(logger);
            }
            return;
        }
        if (await TryWriteAsync(chunk.Lines, ct))
        {
            spill.Advance(chunk);
            _drainAttempt = 0;
        }
        else
        {
            _nextDrainAttempt = time.GetUtcNow() + NextDelay(_drainAttempt++);
        }
    }

    private bool TrySpill(IReadOnlyList<PendingPoint> points)
    {
        try
        {
            spill.Append(points);
        }
        catch (IOException e)
        {
            LogSpillFailed(logger, spill.DirectoryPath, e.Message);
            return false;
        }
        metrics.PointsSpilled(points.Count);
        Acknowledge(points);
        return true;
    }

    private async Task FillBatchAsync(CancellationToken ct)
    {
        Drain();
        // Give a partial batch one flush interval to fill up: fewer, larger requests under load. The wait ends
        // when the batch can be filled, not at each point (one wake-up per batch).
        var flushAt = time.GetUtcNow() + _options.FlushInterval;
        while (_batch.Count < _options.BatchSize)
        {
            var remaining = flushAt - time.GetUtcNow();
            if (remaining <= TimeSpan.Zero)
            {
                return;
            }
            try
            {
                await queue.WaitForDepthAsync(_options.BatchSize - _batch.Count).WaitAsync(remaining, time, ct);
            }
            catch (TimeoutException)
            {
                queue.StopWaiting();
            }
            Drain();
        }
    }

    private void Drain()
    {
        while (_batch.Count < _options.BatchSize && queue.TryTake(out var point))
        {
            _batch.Add(point);
        }
    }

    /// <summary>
    /// One attempt to get <paramref name="points"/> into InfluxDB. True when every line is stored or
    /// dead-lettered; false when InfluxDB cannot take them now (the caller retries or spills — rewriting
    /// the lines that did get in is harmless).
    /// </summary>
    private async Task<bool> TryWriteAsync(IReadOnlyList<PendingPoint> points, CancellationToken ct)
    {
        var (body, pending) = Send(points, ct);
        var result = await pending;
        Recycle(body, result);
        return await HandleAsync(points, result, ct);
    }

    /// <summary>Encodes the points into a request body and sends it; the answer is awaited by the caller.</summary>
    private (byte[] Body, Task<WriteResult> Result) Send(IReadOnlyList<PendingPoint> points, CancellationToken ct)
    {
        var length = 0;
        foreach (var p in points)
        {
            length += Encoding.UTF8.GetByteCount(p.Line);
        }
        var body = _spareBodies.TryPop(out var spare) && spare.Length >= length ? spare : new byte[Math.Max(length, 2 * (spare?.Length ?? 0))];
        var written = 0;
        foreach (var p in points)
        {
            written += Encoding.UTF8.GetBytes(p.Line, body.AsSpan(written));
        }
        return (body, influx.WriteAsync(body.AsMemory(0, written), ct));
    }

    private void Recycle(byte[] body, WriteResult result)
    {
        if (result.Outcome == WriteOutcome.Written && _spareBodies.Count <= _options.WritesInFlight)
        {
            _spareBodies.Push(body);
        }
    }

    private void Recycle(List<PendingPoint> points)
    {
        if (_spareBatches.Count <= _options.WritesInFlight)
        {
            points.Clear();
            _spareBatches.Push(points);
        }
    }

    /// <summary>
    /// Acts on InfluxDB's answer to a write of <paramref name="points"/>. True when every line is stored or
    /// dead-lettered; false when InfluxDB cannot take them now (the caller retries or spills — rewriting
    /// the lines that did get in is harmless).
    /// </summary>
    private async Task<bool> HandleAsync(IReadOnlyList<PendingPoint> points, WriteResult result, CancellationToken ct)
    {
        switch (result.Outcome)
        {
            case WriteOutcome.Written:
                metrics.PointsStored(points.Count);
                Acknowledge(points);
                if (_failingSince != default)
                {
                    LogRecovered(logger, time.GetUtcNow() - _failingSince);
                    _failingSince = default;
                }
                return true;

            case WriteOutcome.NoDatabase:
                return await TryCreateDatabaseAsync(ct) && await TryWriteAsync(points, ct);

            case WriteOutcome.Refused when points.Count > 1:
                // Halve until the refused lines are isolated; the rest is written.
                var half = points.Count / 2;
                return await TryWriteAsync(points.Take(half).ToList(), ct) && await TryWriteAsync(points.Skip(half).ToList(), ct);

            case WriteOutcome.Refused:
                return await RefuseAsync(points[0], result, ct);

            default:
                metrics.WriteRetried();
                _retryAfter = result.RetryAfter;
                NoteFailure(result);
                return false;
        }
    }

    private async Task<bool> RefuseAsync(PendingPoint point, WriteResult result, CancellationToken ct)
    {
        metrics.PointRefused();
        if (point.IsDeadLetter)
        {
            LogDeadLetterRefused(logger, (int?)result.Status, result.Detail, point.Line.TrimEnd());
            Acknowledge([point]);
            return true;
        }
        var letter = deadLetters.Record("(influxdb)", Encoding.UTF8.GetBytes(point.Line.TrimEnd('\n')),
            new Rejection(RejectReason.StorageRejected, $"InfluxDB {(int?)result.Status}: {result.Detail}"), time.GetUtcNow());
        var sb = new StringBuilder();
        Points.Rejected(sb, letter);
        // The dead letter carries the original message's identity: it is acknowledged once the letter is stored.
        return await TryWriteAsync([new PendingPoint(sb.ToString(), IsDeadLetter: true, point.Agent, point.Seq)], ct);
    }

    private void Acknowledge(IReadOnlyList<PendingPoint> points)
    {
        foreach (var p in points)
        {
            if (p is { Agent: { } agent, Seq: { } seq })
            {
                acks.Durable(agent, seq);
            }
        }
    }

    private async Task<bool> TryCreateDatabaseAsync(CancellationToken ct)
    {
        try
        {
            await influx.CreateDatabaseAsync(ct);
            return true;
        }
        catch (HttpRequestException e)
        {
            NoteFailure(new WriteResult(WriteOutcome.RetryLater, e.StatusCode, e.Message, null));
            return false;
        }
        catch (TaskCanceledException e) when (!ct.IsCancellationRequested)
        {
            NoteFailure(new WriteResult(WriteOutcome.RetryLater, null, e.Message, null));
            return false;
        }
    }

    /// <summary>
    /// On a clean stop, whatever is still in memory goes to the spill: the next start writes it. That includes
    /// batches whose write was out (they may be stored already; writing them again is harmless).
    /// </summary>
    private void SpillOnShutdown()
    {
        while (_failed.TryPeek(out var points) && TrySpill(points))
        {
            _failed.Dequeue();
        }
        while (_inFlight.TryPeek(out var write) && TrySpill(write.Points))
        {
            _inFlight.Dequeue();
        }
        Drain();
        while (_batch.Count > 0 && TrySpill(_batch))
        {
            _batch.Clear();
            Drain();
        }
    }

    private void NoteFailure(WriteResult result)
    {
        var now = time.GetUtcNow();
        if (_failingSince == default)
        {
            _failingSince = now;
        }
        else if (now - _lastFailureLog < FailureLogEvery)
        {
            return;
        }
        _lastFailureLog = now;
        LogWriteFailing(logger, (int?)result.Status, result.Detail, queue.Depth, spill.PendingLines);
    }

    private TimeSpan NextDelay(int attempt)
    {
        if (_retryAfter is { } after)
        {
            _retryAfter = null;
            return after < _options.MaxRetryDelay ? after : _options.MaxRetryDelay;
        }
        var ms = Math.Min(_options.MaxRetryDelay.TotalMilliseconds, 100 * Math.Pow(2, Math.Min(attempt, 16)));
        // Jitter so that several hubs recovering together do not hammer InfluxDB in lockstep.
        return TimeSpan.FromMilliseconds(ms * (0.75 + Random.Shared.NextDouble() * 0.5));
    }

    private sealed record InFlightWrite(List<PendingPoint> Points, byte[] Body, Task<WriteResult> Result);

    [LoggerMessage(Level = LogLevel.Warning, Message = "InfluxDB write failing ({Status}): {Detail}; {QueueDepth} points queued, {Spilled} in the spill")]
    private static partial void LogWriteFailing(ILogger logger, int? status, string detail, int queueDepth, long spilled);

    [LoggerMessage(Level = LogLevel.Information, Message = "InfluxDB writes recovered after {Outage}")]
    private static partial void LogRecovered(ILogger logger, TimeSpan outage);

    [LoggerMessage(Level = LogLevel.Warning, Message = "InfluxDB unavailable: points now go to the spill in {Directory} and are acknowledged from there")]
    private static partial void LogSpilling(ILogger logger, string directory);

    [LoggerMessage(Level = LogLevel.Error, Message = "Cannot append to the spill in {Directory}: {Error}; points stay in memory and are not acknowledged")]
    private static partial void LogSpillFailed(ILogger logger, string directory, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Resuming {Lines} spilled points from {Directory}")]
    private static partial void LogResumingSpill(ILogger logger, long lines, string directory);

    [LoggerMessage(Level = LogLevel.Information, Message = "Spill drained: writing to InfluxDB directly again")]
    private static partial void LogSpillDrained(ILogger logger);

    [LoggerMessage(Level = LogLevel.Error, Message = "InfluxDB refused a dead-letter point ({Status}: {Detail}); it is only in this log: {Line}")]
    private static partial void LogDeadLetterRefused(ILogger logger, int? status, string detail, string line);
}
