using System.Text;
using FacilityHub.Contracts.Validation;
using FacilityHub.Hub.Ingest;
using Microsoft.Extensions.Options;

namespace FacilityHub.Hub.Storage;

/// <summary>
/// The batching sink in front of InfluxDB (modelled on Serilog's BatchingSink): a single reader on the
/// bounded <see cref="StorageQueue"/>, batches by size or time, retries 5xx/429/timeouts with backoff
/// (honouring Retry-After) for as long as it takes, and splits a batch InfluxDB refuses until the
/// offending lines are found and dead-lettered. Where Serilog may drop a batch, this never does.
/// </summary>
public sealed partial class InfluxWriter(
    StorageQueue queue,
    InfluxClient influx,
    DeadLetters deadLetters,
    HubMetrics metrics,
    IOptions<InfluxOptions> options,
    TimeProvider time,
    ILogger<InfluxWriter> logger) : BackgroundService
{
    private static readonly TimeSpan ShutdownFlushLimit = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan FailureLogEvery = TimeSpan.FromSeconds(30);

    private readonly InfluxOptions _options = options.Value;

    // Writer-loop state only (single reader): the batch being filled and the failure-log throttle.
    private readonly List<PendingPoint> _batch = new(options.Value.BatchSize);
    private DateTimeOffset _failingSince;
    private DateTimeOffset _lastFailureLog;

    /// <summary>True while writes are failing; /healthz reports it.</summary>
    public bool IsFailing => _failingSince != default;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await EnsureDatabaseAsync(stoppingToken);
            while (await queue.Reader.WaitToReadAsync(stoppingToken))
            {
                await FillBatchAsync(stoppingToken);
                await WriteAsync(_batch, stoppingToken);
                _batch.Clear();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            await FlushOnShutdownAsync();
        }
    }

    private async Task FillBatchAsync(CancellationToken ct)
    {
        Drain();
        if (_batch.Count >= _options.BatchSize)
        {
            return;
        }
        // Give a partial batch one flush interval to fill up: fewer, larger requests under load.
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(ct);
        wait.CancelAfter(_options.FlushInterval);
        try
        {
            while (_batch.Count < _options.BatchSize && await queue.Reader.WaitToReadAsync(wait.Token))
            {
                Drain();
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
        }
    }

    private void Drain()
    {
        while (_batch.Count < _options.BatchSize && queue.Reader.TryRead(out var point))
        {
            _batch.Add(point);
        }
    }

    private async Task WriteAsync(IReadOnlyList<PendingPoint> points, CancellationToken ct)
    {
        var payload = Encode(points);
        var attempt = 0;
        while (true)
        {
            var result = await influx.WriteAsync(payload, ct);
            switch (result.Outcome)
            {
                case WriteOutcome.Written:
                    metrics.PointsStored(points.Count);
                    if (_failingSince != default)
                    {
                        LogRecovered(logger, time.GetUtcNow() - _failingSince);
                        _failingSince = default;
                    }
                    return;

                case WriteOutcome.NoDatabase:
                    await EnsureDatabaseAsync(ct);
                    continue;

                case WriteOutcome.Refused when points.Count > 1:
                    // Halve until the refused lines are isolated; the rest is written (rewriting a point is idempotent).
                    var half = points.Count / 2;
                    await WriteAsync(points.Take(half).ToList(), ct);
                    await WriteAsync(points.Skip(half).ToList(), ct);
                    return;

                case WriteOutcome.Refused:
                    await RefuseAsync(points[0], result, ct);
                    return;

                default:
                    metrics.WriteRetried();
                    var delay = result.RetryAfter is { } after ? Min(after, _options.MaxRetryDelay) : Backoff(attempt++);
                    NoteFailure(result, delay);
                    await Task.Delay(delay, time, ct);
                    continue;
            }
        }
    }

    private async Task RefuseAsync(PendingPoint point, WriteResult result, CancellationToken ct)
    {
        metrics.PointRefused();
        if (point.IsDeadLetter)
        {
            LogDeadLetterRefused(logger, (int?)result.Status, result.Detail, point.Line.TrimEnd());
            return;
        }
        var letter = deadLetters.Record("(influxdb)", Encoding.UTF8.GetBytes(point.Line.TrimEnd('\n')),
            new Rejection(RejectReason.StorageRejected, $"InfluxDB {(int?)result.Status}: {result.Detail}"), time.GetUtcNow());
        var sb = new StringBuilder();
        Points.Rejected(sb, letter);
        await WriteAsync([new PendingPoint(sb.ToString(), IsDeadLetter: true)], ct);
    }

    private async Task EnsureDatabaseAsync(CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await influx.CreateDatabaseAsync(ct);
                return;
            }
            catch (HttpRequestException e)
            {
                var delay = Backoff(attempt);
                NoteFailure(new WriteResult(WriteOutcome.RetryLater, e.StatusCode, e.Message, null), delay);
                await Task.Delay(delay, time, ct);
            }
        }
    }

    private async Task FlushOnShutdownAsync()
    {
        using var limit = new CancellationTokenSource(ShutdownFlushLimit, time);
        Drain();
        var pending = _batch.Count + queue.Depth;
        try
        {
            while (_batch.Count > 0)
            {
                await WriteAsync(_batch, limit.Token);
                _batch.Clear();
                Drain();
            }
        }
        catch (OperationCanceledException)
        {
            var lost = _batch.Count + queue.Depth;
            metrics.PointsLostOnShutdown(lost);
            LogLostOnShutdown(logger, lost, pending);
        }
    }

    private void NoteFailure(WriteResult result, TimeSpan delay)
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
        LogWriteFailing(logger, (int?)result.Status, result.Detail, delay, queue.Depth);
    }

    private TimeSpan Backoff(int attempt)
    {
        var ms = Math.Min(_options.MaxRetryDelay.TotalMilliseconds, 100 * Math.Pow(2, Math.Min(attempt, 16)));
        // Jitter so that several hubs recovering together do not hammer InfluxDB in lockstep.
        return TimeSpan.FromMilliseconds(ms * (0.75 + Random.Shared.NextDouble() * 0.5));
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static ReadOnlyMemory<byte> Encode(IReadOnlyList<PendingPoint> points)
    {
        var length = 0;
        foreach (var p in points)
        {
            length += Encoding.UTF8.GetMaxByteCount(p.Line.Length);
        }
        var buffer = new byte[length];
        var written = 0;
        foreach (var p in points)
        {
            written += Encoding.UTF8.GetBytes(p.Line, buffer.AsSpan(written));
        }
        return buffer.AsMemory(0, written);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "InfluxDB write failing ({Status}): {Detail}; retrying in {Delay}, {QueueDepth} points queued")]
    private static partial void LogWriteFailing(ILogger logger, int? status, string detail, TimeSpan delay, int queueDepth);

    [LoggerMessage(Level = LogLevel.Information, Message = "InfluxDB writes recovered after {Outage}")]
    private static partial void LogRecovered(ILogger logger, TimeSpan outage);

    [LoggerMessage(Level = LogLevel.Error, Message = "InfluxDB refused a dead-letter point ({Status}: {Detail}); it is only in this log: {Line}")]
    private static partial void LogDeadLetterRefused(ILogger logger, int? status, string detail, string line);

    [LoggerMessage(Level = LogLevel.Error, Message = "Shutdown: {Lost} of {Pending} queued points could not be written to InfluxDB in time")]
    private static partial void LogLostOnShutdown(ILogger logger, int lost, int pending);
}
