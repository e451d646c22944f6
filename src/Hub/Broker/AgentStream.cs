using System.Buffers;

namespace FacilityHub.Hub.Broker;

/// <summary>
/// Ingests an agent's message without MQTTnet; returns the PUBACK reason code, or null to leave the message to MQTTnet.
/// </summary>
internal delegate ValueTask<byte?> PublishShortcut(string clientId, string? userName, string topic, ReadOnlySequence<byte> payload, CancellationToken ct);

/// <summary>
/// The stream MQTTnet reads one embedded-broker connection from. It reads ahead, so the packets that arrived together
/// cost one socket read. Once MQTTnet has accepted an agent, the stream ingests the agent's plain QoS 1 PUBLISHes itself,
/// through <see cref="PublishShortcut"/>, and acknowledges the PUBLISHes of one read with one write. MQTTnet's
/// per-packet loop wakes a thread-pool thread for every packet and sends each PUBACK from a loop of its own: that was
/// a third of the hub's CPU at 40,000 msg/s (docs/decisions/0010). Every other packet, and any publish the shortcut
/// declines (refused, forbidden, or a message other clients subscribe to), goes on to MQTTnet unchanged, so MQTTnet
/// still answers it.
/// Four rules keep the connection what MQTTnet made it:
/// - PUBACKs keep the order of their PUBLISHes (MQTT 3.1.1 §4.6). Pending PUBACKs are written before any packet
///   goes on to MQTTnet, and no publish is taken here while MQTTnet still owes an answer to one it was given.
/// - MQTTnet's keep-alive watch sees only the packets it reads, so at least one publish a second goes on to MQTTnet.
/// - MQTTnet's writes and ours never interleave: a writer holds the connection for a whole packet.
/// - MQTTnet writes the CONNACK before it reads the next packet, so its verdict is known before the shortcut is used.
/// One reader (MQTTnet's receive loop) and one writer at a time (MQTTnet's send loop, or the reader's PUBACKs).
/// </summary>
internal sealed class AgentStream(Stream inner, int bufferBytes, PublishShortcut? shortcut, TimeProvider time) : Stream
{
    /// <summary>How long MQTTnet may go without a packet while its agent publishes.</summary>
    public static readonly TimeSpan ForwardEvery = TimeSpan.FromSeconds(1);

    private const int AckBytes = 4096;

    private readonly byte[] _buffer = new byte[bufferBytes];
    private readonly byte[] _acks = new byte[AckBytes];
    private readonly SemaphoreSlim _writer = new(1, 1);
    private readonly long _forwardEveryTicks = (long)(ForwardEvery.TotalSeconds * time.TimestampFrequency);
    private int _start;
    private int _end;
    private long _forward;
    private int _ackLength;
    private long _lastForward;

    private volatile Phase _phase = shortcut is null ? Phase.Off : Phase.Connecting;
    private int _protocolLevel;
    private string _clientId = "";
    private string? _userName;

    // Forwarded QoS 1/2 PUBLISHes that MQTTnet has not yet answered (PUBACK or PUBREC written).
    private int _owed;

    // Bytes of the outgoing packet being written; the writer is held until they are all written.
    private long _writing;

    private enum Phase
    {
        Connecting,
        AwaitingConnAck,
        Accepted,
        Off,
    }

    public override bool CanRead => true;
    public override bool CanWrite => true;
    public override bool CanSeek => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> destination, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            if (_forward > 0)
            {
                if (_start < _end)
                {
                    var count = (int)Math.Min(Math.Min(destination.Length, _forward), _end - _start);
                    _buffer.AsSpan(_start, count).CopyTo(destination.Span);
                    _start += count;
                    _forward -= count;
                    return count;
                }
                await FlushAcksAsync(cancellationToken);
                if (destination.Length >= _buffer.Length)
                {
                    var direct = await inner.ReadAsync(destination[..(int)Math.Min(destination.Length, _forward)], cancellationToken);
                    _forward -= direct;
                    return direct;
                }
                if (!await FillAsync(cancellationToken))
                {
                    return 0;
                }
                continue;
            }
            // At a packet's start.
            var status = MqttWire.ReadFrame(_buffer.AsSpan(_start, _end - _start), out var headerLength, out var bodyLength);
            if (_phase == Phase.Off || status == FrameStatus.Malformed)
            {
                // From here on MQTTnet reads everything (it answers a malformed length by closing the connection).
                // Pending PUBACKs go out before anything MQTTnet answers.
                _phase = Phase.Off;
                await FlushAcksAsync(cancellationToken);
                _forward = long.MaxValue;
                continue;
            }
            if (status == FrameStatus.Complete && headerLength + bodyLength > _buffer.Length)
            {
                // Larger than the buffer: MQTTnet reads it in pieces as it arrives.
                await ForwardAsync(_buffer[_start], null, headerLength + bodyLength, cancellationToken);
                continue;
            }
            if (status == FrameStatus.Incomplete || _end - _start < headerLength + bodyLength)
            {
                // Nothing more to answer until more bytes arrive: what is owed goes out first.
                await FlushAcksAsync(cancellationToken);
                if (!await FillAsync(cancellationToken))
                {
                    return 0;
                }
                continue;
            }
            var packet = _buffer.AsMemory(_start + headerLength, bodyLength);
            if (await TryIngestAsync(_buffer[_start], packet, cancellationToken))
            {
                _start += headerLength + bodyLength;
                continue;
            }
            await ForwardAsync(_buffer[_start], packet, headerLength + bodyLength, cancellationToken);
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> source, CancellationToken cancellationToken = default)
    {
        if (source.IsEmpty)
        {
            return;
        }
        if (_writing == 0)
        {
            await _writer.WaitAsync(cancellationToken);
            try
            {
                _writing = StartOutgoingPacket(source.Span);
            }
            catch
            {
                _writer.Release();
                throw;
            }
        }
        try
        {
            await inner.WriteAsync(source, cancellationToken);
        }
        catch
        {
            // A failed write ends the connection; release so the reader does not wait for a writer that is gone.
            _writing = 0;
            _writer.Release();
            throw;
        }
        _writing -= source.Length;
        if (_writing <= 0)
        {
            _writing = 0;
            _writer.Release();
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    // MQTTnet reads and writes asynchronously; a synchronous caller would bypass the writer's turn-taking.
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override void Flush() => inner.Flush();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            // The writer's semaphore is not disposed: a flush still waiting on it ends with the connection's token,
            // and a release after disposal would throw. It holds no wait handle.
            inner.Dispose();
        }
        base.Dispose(disposing);
    }

    private async ValueTask<bool> TryIngestAsync(byte first, ReadOnlyMemory<byte> body, CancellationToken ct)
    {
        if (_phase != Phase.Accepted || MqttWire.TypeOf(first) != MqttWire.PublishType || Volatile.Read(ref _owed) > 0
            || time.GetTimestamp() - _lastForward >= _forwardEveryTicks
            || !MqttWire.TryReadPlainPublish(first, body.Span, _protocolLevel, out var topic, out var packetId, out var payloadOffset))
        {
            return false;
        }
        var ingest = shortcut!(_clientId, _userName, topic, new ReadOnlySequence<byte>(body[payloadOffset..]), ct);
        if (!ingest.IsCompleted)
        {
            // Held back (a full storage queue, a rate limit): what was already ingested is acknowledged meanwhile.
            await FlushAcksAsync(ct);
        }
        if (await ingest is not { } reasonCode)
        {
            return false;
        }
        if (_ackLength > AckBytes - 8)
        {
            await FlushAcksAsync(ct);
        }
        _ackLength += MqttWire.WritePubAck(_acks.AsSpan(_ackLength), packetId, _protocolLevel, reasonCode);
        return true;
    }

    /// <summary>Hands the packet at the read position to MQTTnet; <paramref name="body"/> is null when it is not all in the buffer.</summary>
    private async ValueTask ForwardAsync(byte first, ReadOnlyMemory<byte>? body, long length, CancellationToken ct)
    {
        switch (MqttWire.TypeOf(first))
        {
            case MqttWire.ConnectType when _phase == Phase.Connecting:
                if (body is { } connect && MqttWire.TryReadConnect(connect.Span, out _protocolLevel, out var clientId, out var userName)
                    && AgentAuthorization.KnownClientId(clientId, userName) is { } known)
                {
                    (_clientId, _userName) = (known, string.IsNullOrEmpty(userName) ? null : userName);
                    _phase = Phase.AwaitingConnAck;
                }
                else
                {
                    _phase = Phase.Off;
                }
                break;
            case not MqttWire.ConnectType when _phase == Phase.Connecting:
                _phase = Phase.Off;
                break;
            case MqttWire.PublishType:
                if ((first & 0x06) != 0)
                {
                    Interlocked.Increment(ref _owed);
                }
                break;
        }
        _lastForward = time.GetTimestamp();
        await FlushAcksAsync(ct);
        _forward = length;
    }

    /// <summary>Takes the writer's turn for a packet MQTTnet writes; returns its length, and notes what it answers.</summary>
    private long StartOutgoingPacket(ReadOnlySpan<byte> first)
    {
        if (MqttWire.ReadFrame(first, out var headerLength, out var bodyLength) != FrameStatus.Complete)
        {
            // Not at a packet's start as this stream counts: stop taking publishes, and hold the writer for this write only.
            _phase = Phase.Off;
            return first.Length;
        }
        switch (MqttWire.TypeOf(first[0]))
        {
            case MqttWire.ConnAckType when _phase == Phase.AwaitingConnAck:
                _phase = first.Length >= headerLength + 2 && MqttWire.IsAccepted(first[headerLength..])
                    ? Phase.Accepted
                    : Phase.Off;
                _lastForward = time.GetTimestamp();
                break;
            case MqttWire.PubAckType or MqttWire.PubRecType:
                if (Interlocked.Decrement(ref _owed) < 0)
                {
                    Interlocked.Exchange(ref _owed, 0);
                }
                break;
        }
        return headerLength + bodyLength;
    }

    private async ValueTask FlushAcksAsync(CancellationToken ct)
    {
        if (_ackLength == 0)
        {
            return;
        }
        await _writer.WaitAsync(ct);
        try
        {
            await inner.WriteAsync(_acks.AsMemory(0, _ackLength), ct);
            _ackLength = 0;
        }
        finally
        {
            _writer.Release();
        }
    }

    private async ValueTask<bool> FillAsync(CancellationToken ct)
    {
        if (_start == _end)
        {
            _start = _end = 0;
        }
        else if (_end == _buffer.Length)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }
        var read = await inner.ReadAsync(_buffer.AsMemory(_end), ct);
        _end += read;
        return read > 0;
    }
}
