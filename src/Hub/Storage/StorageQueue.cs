using System.Threading.Channels;
using Microsoft.Extensions.Options;

namespace FacilityHub.Hub.Storage;

/// <summary>
/// One line-protocol line waiting for InfluxDB. Dead letters are marked so a refused one is not
/// dead-lettered again. <see cref="Agent"/> and <see cref="Seq"/> name the message to acknowledge once the
/// line is durable; both are null for messages without them (third-party devices get plain QoS 1).
/// </summary>
public readonly record struct PendingPoint(string Line, bool IsDeadLetter = false, string? Agent = null, long? Seq = null);

/// <summary>
/// The bounded channel between ingest (many writers: one per broker connection) and the InfluxDB writer
/// (one reader). When it is full, ingest waits, which holds back the broker's PUBACK: backpressure instead of loss.
/// </summary>
public sealed class StorageQueue
{
    private readonly Channel<PendingPoint> _channel;

    public StorageQueue(IOptions<InfluxOptions> options)
    {
        Capacity = options.Value.QueueCapacity;
        _channel = Channel.CreateBounded<PendingPoint>(new BoundedChannelOptions(Capacity)
        {
            SingleReader = true,
            SingleWriter = false,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    public int Capacity { get; }

    public int Depth => _channel.Reader.Count;

    public ChannelReader<PendingPoint> Reader => _channel.Reader;

    public ValueTask EnqueueAsync(PendingPoint point, CancellationToken ct)
    {
        // Fast path without the async state machine when there is room.
        return _channel.Writer.TryWrite(point) ? ValueTask.CompletedTask : _channel.Writer.WriteAsync(point, ct);
    }
}
