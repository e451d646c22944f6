using System.Buffers;
using System.Text;
using FacilityHub.Contracts.Validation;
using FacilityHub.Hub.Live;
using FacilityHub.Hub.Storage;

namespace FacilityHub.Hub.Ingest;

/// <summary>
/// The one ingestion pipeline, whichever broker delivers: decode and validate, update the live state,
/// queue the point for InfluxDB. A refused message goes to the dead-letter store and ingest carries on.
/// The returned task completes once the point is in the storage queue; brokers acknowledge after it.
/// </summary>
public sealed class Ingestor(
    MessageDecoder decoder,
    LatestState live,
    StorageQueue storage,
    DeadLetters deadLetters,
    HubMetrics metrics,
    TimeProvider time)
{
    [ThreadStatic]
    private static StringBuilder? t_line;

    public ValueTask<bool> AcceptAsync(string topic, ReadOnlySequence<byte> payload, CancellationToken ct)
    {
        metrics.MessageReceived();
        var now = time.GetUtcNow();
        // Payloads are small (16 KiB limit) and almost always one segment; copy only when they are not.
        var bytes = payload.IsSingleSegment ? payload.FirstSpan : payload.ToArray();
        var result = decoder.Decode(topic, bytes, now);
        PendingPoint point;
        var sb = t_line ??= new StringBuilder(512);
        sb.Clear();
        if (result.Rejection is { } rejection)
        {
            metrics.MessageRejected();
            Points.Rejected(sb, deadLetters.Record(topic, bytes, rejection, now));
            // A refused message is acknowledged too, once its dead letter is durable: re-sending it cannot help.
            var (agent, seq) = Identity.TryRead(bytes);
            point = new PendingPoint(sb.ToString(), IsDeadLetter: true, agent, seq);
        }
        else
        {
            switch (result.Reading)
            {
                case ApReading ap:
                    live.Apply(ap, now);
                    Points.Ap(sb, ap);
                    break;
                case ShelterReading shelter:
                    var (pct, level) = live.Apply(shelter, now);
                    Points.Shelter(sb, shelter, pct, level);
                    break;
                case WeatherReading weather:
                    live.Apply(weather, now);
                    Points.Weather(sb, weather);
                    break;
                case AgentStatusReading status:
                    live.Apply(status, now);
                    Points.Agent(sb, status);
                    break;
                default:
                    throw new InvalidOperationException($"unexpected reading {result.Reading?.GetType().Name}");
            }
            metrics.MessageAccepted();
            point = new PendingPoint(sb.ToString(), Agent: result.Reading.Agent, Seq: result.Reading.Seq);
        }
        var queued = storage.EnqueueAsync(point, ct);
        return queued.IsCompletedSuccessfully ? ValueTask.FromResult(result.Reading is not null) : AwaitQueued(queued, result.Reading is not null);
    }

    private static async ValueTask<bool> AwaitQueued(ValueTask queued, bool accepted)
    {
        await queued;
        return accepted;
    }
}
