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
/// <remarks>
/// The writer fills a batch by waiting for <see cref="WaitForDepthAsync"/> rather than for each point: waking
/// a thread per point cost more CPU than decoding it (docs/benchmarks.md, "Where the hub's time goes").
/// </remarks>
public sealed class StorageQueue
{
    private readonly Channel<PendingPoint> _channel;

    // Points written and not yet taken; kept beside the channel so that a writer can tell, without the
    // channel's lock, whether the reader's batch is now full.
    private int _depth;
    private DepthWaiter? _waiter;

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

    public int Depth => Math.Max(0, Volatile.Read(ref _depth));

    public ValueTask EnqueueAsync(PendingPoint point, CancellationToken ct)
    {
        // Fast path without the async state machine when there is room.
        if (_channel.Writer.TryWrite(point))
        {
            Written();
            return ValueTask.CompletedTask;
        }
        return WriteWhenRoomAsync(point, ct);
    }

    /// <summary>Waits until a point is queued; false once the queue is completed.</summary>
    public ValueTask<bool> WaitToReadAsync(CancellationToken ct) => _channel.Reader.WaitToReadAsync(ct);

    /// <summary>Takes one queued point, if any (the single reader only).</summary>
    public bool TryTake(out PendingPoint point)
    {
        if (!_channel.Reader.TryRead(out point))
        {
            return false;
        }
        Interlocked.Decrement(ref _depth);
        return true;
    }

    /// <summary>
    /// Completes when at least <paramref name="depth"/> points are queued (the single reader only; one wait at a time).
    /// Writers check it with one volatile read each, so waiting for a batch costs one wake-up, not one per point.
    /// </summary>
    public Task WaitForDepthAsync(int depth)
    {
        var waiter = new DepthWaiter(depth);
        Volatile.Write(ref _waiter, waiter);
        // Points written before the waiter was visible would not have signalled it.
        if (Volatile.Read(ref _depth) >= depth)
        {
            Volatile.Write(ref _waiter, null);
            return Task.CompletedTask;
        }
        return waiter.Task;
    }

    /// <summary>Stops signalling a wait that ended another way (its timeout).</summary>
    public void StopWaiting() => Volatile.Write(ref _waiter, null);

    private async ValueTask WriteWhenRoomAsync(PendingPoint point, CancellationToken ct)
    {
        await _channel.Writer.WriteAsync(point, ct);
        Written();
    }

    private void Written()
    {
        var depth = Interlocked.Increment(ref _depth);
        if (Volatile.Read(ref _waiter) is { } waiter && depth >= waiter.Depth)
        {
            // Only this waiter: the reader may already have registered its next one.
            Interlocked.CompareExchange(ref _waiter, null, waiter);
            waiter.TrySetResult();
        }
    }

    private sealed class DepthWaiter(int depth) : TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        public int Depth { get; } = depth;
    }
}
