using System.Text.Json;
using FacilityHub.Contracts;
using FacilityHub.Contracts.Messages;
using FacilityHub.Contracts.Topics;
using FacilityHub.Hub.Broker;
using Microsoft.Extensions.Options;

namespace FacilityHub.Hub.Ingest;

/// <summary>
/// Collects the <c>seq</c> of every message whose point is durable (InfluxDB answered 2xx, or the spill
/// file was fsync'd) and publishes them per agent as ranges on the agent's ack topic. An agent keeps a
/// message in its outbox until it sees its seq here, so an ack is sent only after durability, never before.
/// </summary>
public sealed partial class Acknowledgements(
    IBrokerStatus broker,
    IOptions<BrokerOptions> options,
    TimeProvider time,
    ILogger<Acknowledgements> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);
    private readonly TopicScheme _topics = new(options.Value.TopicPrefix);
    private readonly Lock _gate = new();
    private Dictionary<string, List<long>> _pending = new(StringComparer.Ordinal);
    private long _published;

    /// <summary>Acks sent so far (sequence numbers, not messages); /api/stats reports it.</summary>
    public long Published => Interlocked.Read(ref _published);

    public void Durable(string agent, long seq)
    {
        lock (_gate)
        {
            if (!_pending.TryGetValue(agent, out var list))
            {
                _pending[agent] = list = [];
            }
            list.Add(seq);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await PublishPendingAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            await PublishPendingAsync(CancellationToken.None);
        }
    }

    private async Task PublishPendingAsync(CancellationToken ct)
    {
        Dictionary<string, List<long>> batch;
        lock (_gate)
        {
            if (_pending.Count == 0)
            {
                return;
            }
            batch = _pending;
            _pending = new(StringComparer.Ordinal);
        }
        foreach (var (agent, seqs) in batch)
        {
            var ack = new AckMessage(time.GetUtcNow(), AckMessage.ToRanges(seqs));
            try
            {
                await broker.PublishAsync(_topics.Ack(agent), JsonSerializer.SerializeToUtf8Bytes(ack, ContractsJsonContext.Default.AckMessage), ct);
                Interlocked.Add(ref _published, seqs.Count);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The broker is away (external mode): keep them for the next tick. The agent would re-send
                // meanwhile anyway, and a late ack is harmless.
                LogAckFailed(logger, agent, seqs.Count, e.Message);
                lock (_gate)
                {
                    if (!_pending.TryGetValue(agent, out var list))
                    {
                        _pending[agent] = list = [];
                    }
                    list.AddRange(seqs);
                }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not publish the ack of {Count} messages to agent {Agent}: {Error}; will retry")]
    private static partial void LogAckFailed(ILogger logger, string agent, int count, string error);
}
