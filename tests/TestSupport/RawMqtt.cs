using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace FacilityHub.TestSupport;

/// <summary>
/// Hand-built MQTT packets, for sending what a well-behaved client library refuses to send (wildcards or
/// invalid UTF-8 in a PUBLISH topic, malformed lengths, reserved packet types). Layouts follow MQTT 3.1.1
/// (OASIS, 2014) §2 fixed header and §3.1 CONNECT / §3.3 PUBLISH: first byte = type &lt;&lt; 4 | flags, then the
/// remaining length as a variable byte integer (7 bits per byte, least significant first, high bit =
/// more bytes follow, at most four bytes), then the variable header and payload. Strings are a 16-bit
/// big-endian byte count followed by the bytes.
/// </summary>
public static class MqttPackets
{
    public const byte Connect = 0x10;
    public const byte ConnAck = 0x20;
    public const byte Publish = 0x30;
    public const byte PubAck = 0x40;
    public const byte Disconnect = 0xE0;

    /// <summary>A remaining length encoded as the spec says (1–4 bytes).</summary>
    public static byte[] RemainingLength(int value)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(value);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(value, 268_435_455);
        var bytes = new List<byte>(4);
        do
        {
            var digit = (byte)(value % 128);
            value /= 128;
            bytes.Add(value > 0 ? (byte)(digit | 0x80) : digit);
        }
        while (value > 0);
        return [.. bytes];
    }

    /// <summary>A packet: first byte, correct remaining length, body.</summary>
    public static byte[] Packet(byte first, ReadOnlySpan<byte> body) => [first, .. RemainingLength(body.Length), .. body];

    /// <summary>A length-prefixed string field of raw bytes (which need not be valid UTF-8).</summary>
    public static byte[] String(ReadOnlySpan<byte> bytes)
    {
        var field = new byte[2 + bytes.Length];
        BinaryPrimitives.WriteUInt16BigEndian(field, checked((ushort)bytes.Length));
        bytes.CopyTo(field.AsSpan(2));
        return field;
    }

    public static byte[] String(string text) => String(Encoding.UTF8.GetBytes(text));

    /// <summary>
    /// CONNECT (§3.1): protocol name, protocol level (4 = 3.1.1), connect flags (bit 1 = clean session),
    /// keep alive in seconds, then the client identifier. MQTT 5 (level 5) adds a properties length, here 0.
    /// </summary>
    public static byte[] ConnectPacket(string clientId, byte level = 4, string protocolName = "MQTT", ushort keepAliveSeconds = 60)
    {
        var body = new List<byte>();
        body.AddRange(String(protocolName));
        body.Add(level);
        body.Add(0x02);
        body.Add((byte)(keepAliveSeconds >> 8));
        body.Add((byte)keepAliveSeconds);
        if (level == 5)
        {
            body.Add(0x00);
        }
        body.AddRange(String(clientId));
        return Packet(Connect, [.. body]);
    }

    /// <summary>PUBLISH (§3.3): flags = DUP &lt;&lt; 3 | QoS &lt;&lt; 1 | RETAIN; topic; packet id when QoS &gt; 0; payload.</summary>
    public static byte[] PublishPacket(ReadOnlySpan<byte> topic, ReadOnlySpan<byte> payload, int qos = 1, ushort packetId = 1)
    {
        var body = new List<byte>(topic.Length + payload.Length + 4);
        body.AddRange(String(topic));
        if (qos > 0)
        {
            body.Add((byte)(packetId >> 8));
            body.Add((byte)packetId);
        }
        body.AddRange(payload);
        return Packet((byte)(Publish | (qos << 1)), [.. body]);
    }
}

/// <summary>One packet as read off the wire: first byte and body.</summary>
public sealed record RawPacket(byte First, byte[] Body)
{
    public int Type => First >> 4;
}

/// <summary>A bare TCP connection that speaks MQTT bytes by hand, for malformed-packet and corpus tests.</summary>
public sealed class RawMqttConnection : IAsyncDisposable
{
    private readonly TcpClient _tcp;
    private readonly NetworkStream _stream;

    private RawMqttConnection(TcpClient tcp)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
    }

    public static async Task<RawMqttConnection> OpenAsync(int port, CancellationToken ct = default)
    {
        var tcp = new TcpClient { NoDelay = true };
        await tcp.ConnectAsync(IPAddress.Loopback, port, ct);
        return new RawMqttConnection(tcp);
    }

    public async Task SendAsync(ReadOnlyMemory<byte> bytes, CancellationToken ct = default)
    {
        await _stream.WriteAsync(bytes, ct);
        await _stream.FlushAsync(ct);
    }

    /// <summary>Sends, treating a connection the server has already closed as nothing to report.</summary>
    public async Task<bool> TrySendAsync(ReadOnlyMemory<byte> bytes, CancellationToken ct = default)
    {
        try
        {
            await SendAsync(bytes, ct);
            return true;
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>Half-closes: the server sees end of stream, and can still answer.</summary>
    public void ShutdownSend() => _tcp.Client.Shutdown(SocketShutdown.Send);

    /// <summary>The next packet, or null when the server closed the connection; throws <see cref="TimeoutException"/> when neither happens in time.</summary>
    public async Task<RawPacket?> ReadPacketAsync(TimeSpan timeout, CancellationToken ct = default)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
        try
        {
            var first = await ReadByteAsync(deadline.Token);
            if (first < 0)
            {
                return null;
            }
            var length = 0;
            for (var i = 0; ; i++)
            {
                var b = await ReadByteAsync(deadline.Token);
                if (b < 0)
                {
                    return null;
                }
                length |= (b & 0x7F) << (7 * i);
                if ((b & 0x80) == 0)
                {
                    break;
                }
                if (i == 3)
                {
                    throw new InvalidDataException("the server sent a remaining length of more than four bytes");
                }
            }
            var body = new byte[length];
            var read = 0;
            while (read < length)
            {
                var n = await _stream.ReadAsync(body.AsMemory(read), deadline.Token);
                if (n == 0)
                {
                    return null;
                }
                read += n;
            }
            return new RawPacket((byte)first, body);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new TimeoutException($"no packet and no close within {timeout}");
        }
        catch (IOException)
        {
            return null; // reset by the server: closed
        }
    }

    /// <summary>
    /// Reads until the server closes the connection; the packets it sent before closing (a CONNACK with a
    /// refusal code, an MQTT 5 DISCONNECT) are returned. Throws <see cref="TimeoutException"/> if it stays open.
    /// </summary>
    public async Task<IReadOnlyList<RawPacket>> WaitClosedAsync(TimeSpan timeout, CancellationToken ct = default)
    {
        var started = DateTime.UtcNow;
        var packets = new List<RawPacket>();
        while (true)
        {
            var left = timeout - (DateTime.UtcNow - started);
            if (left <= TimeSpan.Zero)
            {
                throw new TimeoutException($"the server kept the connection open for {timeout}; it sent {packets.Count} packets");
            }
            RawPacket? packet;
            try
            {
                packet = await ReadPacketAsync(left, ct);
            }
            catch (InvalidDataException)
            {
                continue;
            }
            if (packet is null)
            {
                return packets;
            }
            packets.Add(packet);
        }
    }

    public ValueTask DisposeAsync()
    {
        _stream.Dispose();
        _tcp.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task<int> ReadByteAsync(CancellationToken ct)
    {
        var one = new byte[1];
        var n = await _stream.ReadAsync(one, ct);
        return n == 0 ? -1 : one[0];
    }
}

/// <summary>
/// A QoS 1 publisher over <see cref="RawMqttConnection"/> (MQTT 3.1.1) that can send any topic bytes,
/// waits for each PUBACK, and reconnects when the broker has closed the connection on it.
/// </summary>
public sealed class RawPublisher(int port, string clientId) : IAsyncDisposable
{
    private static readonly TimeSpan AckTimeout = TimeSpan.FromSeconds(10);
    private RawMqttConnection? _connection;
    private ushort _packetId;

    /// <summary>How many times the broker closed the connection on a publish.</summary>
    public int Disconnects { get; private set; }

    /// <summary>Publishes at QoS 1: true when the broker acknowledged, false when it closed the connection instead.</summary>
    public async Task<bool> PublishAsync(ReadOnlyMemory<byte> topic, ReadOnlyMemory<byte> payload, CancellationToken ct = default)
    {
        var connection = _connection ??= await ConnectAsync(ct);
        _packetId = (ushort)(_packetId % ushort.MaxValue + 1);
        var id = _packetId;
        if (await connection.TrySendAsync(MqttPackets.PublishPacket(topic.Span, payload.Span, qos: 1, packetId: id), ct))
        {
            while (await connection.ReadPacketAsync(AckTimeout, ct) is { } packet)
            {
                if (packet.Type == MqttPackets.PubAck >> 4 && packet.Body.Length >= 2 && BinaryPrimitives.ReadUInt16BigEndian(packet.Body) == id)
                {
                    return true;
                }
            }
        }
        Disconnects++;
        await connection.DisposeAsync();
        _connection = null;
        return false;
    }

    /// <summary>Drops the connection (if the broker has not already); the next publish opens a new one.</summary>
    public async Task ReconnectAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
            _connection = null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is not null)
        {
            await _connection.TrySendAsync(new byte[] { MqttPackets.Disconnect, 0x00 });
            await _connection.DisposeAsync();
        }
    }

    private async Task<RawMqttConnection> ConnectAsync(CancellationToken ct)
    {
        var connection = await RawMqttConnection.OpenAsync(port, ct);
        await connection.SendAsync(MqttPackets.ConnectPacket(clientId), ct);
        var connAck = await connection.ReadPacketAsync(AckTimeout, ct);
        // CONNACK (§3.2): session-present flags, then the return code; 0 = accepted.
        if (connAck is not { Type: MqttPackets.ConnAck >> 4, Body: [_, 0, ..] })
        {
            await connection.DisposeAsync();
            throw new InvalidOperationException($"CONNECT as {clientId} was not accepted: {(connAck is null ? "closed" : Convert.ToHexString(connAck.Body))}");
        }
        return connection;
    }
}
