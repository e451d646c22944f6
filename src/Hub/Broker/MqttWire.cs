using System.Buffers.Binary;
using System.Text;

namespace FacilityHub.Hub.Broker;

/// <summary>
/// The few MQTT 3.1.1 / 5.0 packet shapes <see cref="AgentStream"/> must read itself: packet frames, the CONNECT that
/// names the connection, the CONNACK that accepts it, and the plain QoS 1 PUBLISH an agent sends. Anything these
/// methods do not recognise is left to MQTTnet, which answers it as before.
/// </summary>
internal static class MqttWire
{
    public const byte ConnectType = 1;
    public const byte ConnAckType = 2;
    public const byte PublishType = 3;
    public const byte PubAckType = 4;
    public const byte PubRecType = 5;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// Reads a packet's fixed header: <c>Complete</c> with its header and body lengths, <c>Incomplete</c> when more bytes
    /// are needed to tell, <c>Malformed</c> when the length field is longer than MQTT allows.
    /// </summary>
    public static FrameStatus ReadFrame(ReadOnlySpan<byte> data, out int headerLength, out int bodyLength)
    {
        headerLength = 0;
        bodyLength = 0;
        if (data.IsEmpty)
        {
            return FrameStatus.Incomplete;
        }
        var status = ReadVariableInteger(data[1..], out bodyLength, out var lengthBytes);
        if (status == FrameStatus.Complete)
        {
            headerLength = 1 + lengthBytes;
        }
        return status;
    }

    /// <summary>An MQTT variable byte integer (7 bits a byte, least significant first, at most four bytes).</summary>
    private static FrameStatus ReadVariableInteger(ReadOnlySpan<byte> data, out int value, out int length)
    {
        value = 0;
        length = 0;
        for (var i = 0; i < 4; i++)
        {
            if (i >= data.Length)
            {
                value = 0;
                return FrameStatus.Incomplete;
            }
            value |= (data[i] & 0x7F) << (7 * i);
            if ((data[i] & 0x80) == 0)
            {
                length = i + 1;
                return FrameStatus.Complete;
            }
        }
        value = 0;
        return FrameStatus.Malformed;
    }

    public static byte TypeOf(byte firstByte) => (byte)(firstByte >> 4);

    /// <summary>The protocol level (4 = 3.1.1, 5 = 5.0), client id and user name of a CONNECT body; false for anything else.</summary>
    public static bool TryReadConnect(ReadOnlySpan<byte> body, out int protocolLevel, out string clientId, out string? userName)
    {
        protocolLevel = 0;
        clientId = "";
        userName = null;
        var reader = new Reader(body);
        if (!reader.TryString(out var protocol) || protocol != "MQTT" || !reader.TryByte(out var level) || level is not (4 or 5)
            || !reader.TryByte(out var flags) || !reader.TrySkip(2)
            || (level == 5 && !reader.TrySkipProperties())
            || !reader.TryString(out var id))
        {
            return false;
        }
        if ((flags & 0x04) != 0)
        {
            // Will: (5.0) its properties, then its topic and payload.
            if ((level == 5 && !reader.TrySkipProperties()) || !reader.TrySkipBinary() || !reader.TrySkipBinary())
            {
                return false;
            }
        }
        if ((flags & 0x80) != 0)
        {
            if (!reader.TryString(out var user))
            {
                return false;
            }
            userName = user;
        }
        (protocolLevel, clientId) = (level, id);
        return true;
    }

    /// <summary>Whether a CONNACK body accepts the connection (return code or reason code 0).</summary>
    public static bool IsAccepted(ReadOnlySpan<byte> connAckBody) => connAckBody.Length >= 2 && connAckBody[1] == 0;

    /// <summary>
    /// Reads a QoS 1 PUBLISH that an agent sends, one that needs nothing of the broker but its acknowledgement: no
    /// retain flag, a topic that is not forbidden (<see cref="PublishTopicRules"/>: MQTTnet closes the connection for
    /// one), and (5.0) no topic alias or subscription identifier. False for any other PUBLISH; MQTTnet takes those.
    /// </summary>
    public static bool TryReadPlainPublish(byte firstByte, ReadOnlySpan<byte> body, int protocolLevel, out string topic, out ushort packetId, out int payloadOffset)
    {
        topic = "";
        packetId = 0;
        payloadOffset = 0;
        // QoS 1 (bits 2-1 = 01) and no retain (bit 0); DUP (bit 3) may be either.
        if ((firstByte & 0x07) != 0x02)
        {
            return false;
        }
        var reader = new Reader(body);
        if (!reader.TryString(out var name) || PublishTopicRules.IsForbidden(name)
            || !reader.TryUInt16(out packetId) || packetId == 0)
        {
            return false;
        }
        if (protocolLevel == 5 && !reader.TrySkipPublishProperties())
        {
            return false;
        }
        topic = name;
        payloadOffset = reader.Position;
        return true;
    }

    /// <summary>Writes the PUBACK MQTTnet would send for this result; returns its length (4 or 6 bytes).</summary>
    public static int WritePubAck(Span<byte> destination, ushort packetId, int protocolLevel, byte reasonCode)
    {
        destination[0] = PubAckType << 4;
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], packetId);
        if (protocolLevel < 5 || reasonCode == 0)
        {
            destination[1] = 2;
            return 4;
        }
        // 5.0: a reason code other than success, then an empty property block.
        destination[1] = 4;
        destination[4] = reasonCode;
        destination[5] = 0;
        return 6;
    }

    private ref struct Reader(ReadOnlySpan<byte> data)
    {
        private readonly ReadOnlySpan<byte> _data = data;

        public int Position { get; private set; }

        public bool TryByte(out byte value)
        {
            value = 0;
            if (Position >= _data.Length)
            {
                return false;
            }
            value = _data[Position++];
            return true;
        }

        public bool TryUInt16(out ushort value)
        {
            value = 0;
            if (_data.Length - Position < 2)
            {
                return false;
            }
            value = BinaryPrimitives.ReadUInt16BigEndian(_data[Position..]);
            Position += 2;
            return true;
        }

        public bool TrySkip(int count)
        {
            if (_data.Length - Position < count)
            {
                return false;
            }
            Position += count;
            return true;
        }

        public bool TryString(out string value)
        {
            value = "";
            if (!TryUInt16(out var length) || _data.Length - Position < length)
            {
                return false;
            }
            try
            {
                value = StrictUtf8.GetString(_data.Slice(Position, length));
            }
            catch (DecoderFallbackException)
            {
                return false;
            }
            Position += length;
            return true;
        }

        public bool TrySkipBinary() => TryUInt16(out var length) && TrySkip(length);

        public bool TryVariableInteger(out int value)
        {
            if (ReadVariableInteger(_data[Position..], out value, out var length) != FrameStatus.Complete)
            {
                return false;
            }
            Position += length;
            return true;
        }

        public bool TrySkipProperties() => TryVariableInteger(out var length) && TrySkip(length);

        /// <summary>Skips a PUBLISH's properties, refusing the two that ask something of the broker.</summary>
        public bool TrySkipPublishProperties()
        {
            if (!TryVariableInteger(out var length) || _data.Length - Position < length)
            {
                return false;
            }
            var end = Position + length;
            while (Position < end)
            {
                if (!TryVariableInteger(out var id))
                {
                    return false;
                }
                var known = id switch
                {
                    0x01 => TrySkip(1),                        // payload format indicator
                    0x02 => TrySkip(4),                        // message expiry interval
                    0x03 or 0x08 or 0x09 => TrySkipBinary(),   // content type, response topic, correlation data
                    0x26 => TrySkipBinary() && TrySkipBinary(), // user property
                    _ => false,                                // topic alias (0x23), subscription identifier, unknown
                };
                if (!known || Position > end)
                {
                    return false;
                }
            }
            return true;
        }
    }
}

internal enum FrameStatus
{
    Incomplete,
    Complete,
    Malformed,
}
