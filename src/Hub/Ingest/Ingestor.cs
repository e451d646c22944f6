using System.Buffers;
using System.Text;
using FacilityHub.Contracts.Sites;
using FacilityHub.Contracts.Validation;
using FacilityHub.Hub.Live;
using FacilityHub.Hub.Quality;
using FacilityHub.Hub.Storage;

namespace FacilityHub.Hub.Ingest;

/// <summary>
/// The one ingestion pipeline, whichever broker delivers: decode and validate, quality-control weather, update the live state,
/// queue the point for InfluxDB. A refused message goes to the dead-letter store and ingest carries on.
/// The returned task completes once the point is in the storage queue; brokers acknowledge after it.
/// </summary>
public sealed class Ingestor(
    MessageDecoder decoder,
    SiteRegistry sites,
    LatestState live,
    WeatherQualityControl quality,
    StorageQueue storage,
    DeadLetters deadLetters,
    HubMetrics metrics,
    TimeProvider time)
{
    [ThreadStatic]
    private static StringBuilder? t_line;

    /// <param name="publisher">The authenticated agent that published it, when the broker knows one; acks go only to it.</param>
    public ValueTask<bool> AcceptAsync(string topic, ReadOnlySequence<byte> payload, string? publisher, CancellationToken ct)
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
            point = ToDeadLetter(sb, topic, bytes, rejection, now, publisher);
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
                    var flags = quality.Check(weather);
                    live.Apply(weather, flags, now);
                    Points.Weather(sb, weather, flags);
                    break;
                case AgentStatusReading status:
                    live.Apply(status, now);
                    Points.Agent(sb, status);
                    break;
                default:
                    throw new InvalidOperationException($"unexpected reading {result.Reading?.GetType().Name}");
            }
            metrics.MessageAccepted();
            point = new PendingPoint(sb.ToString(), Agent: AckTo(result.Reading.Agent, publisher, topic), Seq: result.Reading.Seq);
        }
        var queued = storage.EnqueueAsync(point, ct);
        return queued.IsCompletedSuccessfully ? ValueTask.FromResult(result.Reading is not null) : AwaitQueued(queued, result.Reading is not null);
    }

    /// <summary>
    /// Records a message refused before decoding (an agent publishing outside its grants) exactly like a
    /// decode rejection: counted, logged rate-limited, and queued as a dead letter for storage.
    /// </summary>
    public ValueTask RejectAsync(string topic, ReadOnlySequence<byte> payload, Rejection rejection, string? publisher, CancellationToken ct)
    {
        metrics.MessageReceived();
        var bytes = payload.IsSingleSegment ? payload.FirstSpan : payload.ToArray();
        var sb = t_line ??= new StringBuilder(512);
        sb.Clear();
        return storage.EnqueueAsync(ToDeadLetter(sb, topic, bytes, rejection, time.GetUtcNow(), publisher), ct);
    }

    private PendingPoint ToDeadLetter(StringBuilder sb, string topic, ReadOnlySpan<byte> bytes, Rejection rejection, DateTimeOffset now, string? publisher)
    {
        metrics.MessageRejected();
        Points.Rejected(sb, deadLetters.Record(topic, bytes, rejection, now));
        // A refused message is acknowledged too, once its dead letter is durable: re-sending it cannot help.
        var (agent, seq) = Identity.TryRead(bytes);
        return new PendingPoint(sb.ToString(), IsDeadLetter: true, AckTo(agent, publisher, topic), seq);
    }

    /// <summary>
    /// Whom to acknowledge: the payload's agent, but only when it is the authenticated publisher (when the
    /// broker knows one; the embedded broker has then already checked the topic against the registry) or,
    /// when the broker does not say who published (Mosquitto, development mode), only on a topic the registry
    /// grants a registered agent. Otherwise one client could make another agent drop messages from its
    /// outbox by naming it in a payload.
    /// </summary>
    private string? AckTo(string? agent, string? publisher, string topic)
    {
        if (agent is null)
        {
            return null;
        }
        if (publisher is not null)
        {
            return string.Equals(agent, publisher, StringComparison.Ordinal) ? agent : null;
        }
        return !sites.TryGetAgent(agent, out _) || (decoder.Topics.TryParse(topic, out var address, out _) && sites.MayPublish(agent, address))
            ? agent
            : null;
    }

    private static async ValueTask<bool> AwaitQueued(ValueTask queued, bool accepted)
    {
        await queued;
        return accepted;
    }
}
