using System.Buffers;
using System.Text;
using FacilityHub.Hub.Broker;
using FsCheck;
using FsCheck.Fluent;
using MQTTnet.Formatter;
using MQTTnet.Packets;
using MQTTnet.Protocol;

namespace FacilityHub.Hub.Tests.Broker;

/// <summary>MqttWire against MQTTnet's own encoder: what MQTTnet writes, MqttWire reads the same way MQTTnet would.</summary>
public sealed class MqttWireTests
{
    private static readonly Config Property = Config.QuickThrowOnFailure.WithMaxTest(500).WithReplay(new Replay(new Rnd(20261124UL, 0x2545F4914F6CDD1DUL), null));

    public static byte[] Encode(MqttPacket packet, MqttProtocolVersion version) =>
        new MqttPacketFormatterAdapter(version, new MqttBufferWriter(4096, 1 << 20)).Encode(packet).ToArray();

    private static readonly Gen<string> Topics = Gen.Elements("fh/v1/ap/civic/ap-01", "fh/v1/shelter/shl-1", "a", "fh/+/x", "fh/#", "fh/v1/天気", "");

    [Fact]
    public void Property_Publish_PlainOnlyWhenQos1NoRetainNoAlias_FieldsAsEncoded() =>
        Check.One(Property, Prop.ForAll(
            Gen.Elements(MqttProtocolVersion.V311, MqttProtocolVersion.V500)
                .Zip(Topics).Zip(Gen.Choose(0, 2)).Zip(Gen.Elements(false, true)).Zip(Gen.Elements(false, true))
                .Zip(Gen.Choose(0, 5)).Zip(Gen.Choose(1, 65535)).Zip(Gen.Choose(0, 300)).ToArbitrary(),
            input =>
            {
                var (((((((version, topic), qos), retain), dup), extras), packetId), payloadLength) = input;
                var payload = Enumerable.Range(0, payloadLength).Select(i => (byte)(i * 31)).ToArray();
                var packet = new MqttPublishPacket
                {
                    Topic = topic,
                    QualityOfServiceLevel = (MqttQualityOfServiceLevel)qos,
                    Retain = retain,
                    Dup = dup && qos > 0,
                    PacketIdentifier = qos > 0 ? (ushort)packetId : (ushort)0,
                    Payload = new ReadOnlySequence<byte>(payload),
                };
                var v5 = version == MqttProtocolVersion.V500;
                // Properties only 5.0 has; 3.1.1's encoder leaves them out.
                if (v5 && extras >= 1) { packet.ContentType = "application/json"; }
                if (v5 && extras >= 2) { packet.UserProperties = [new("agent", "edge-01"u8.ToArray().AsMemory())]; }
                if (v5 && extras >= 3) { packet.MessageExpiryInterval = 600; packet.ResponseTopic = "r"; packet.CorrelationData = [1, 2]; }
                if (v5 && extras == 4) { packet.TopicAlias = 3; }
                if (v5 && extras == 5) { packet.PayloadFormatIndicator = MqttPayloadFormatIndicator.CharacterData; }
                var bytes = Encode(packet, version);

                Assert.Equal(FrameStatus.Complete, MqttWire.ReadFrame(bytes, out var header, out var body));
                Assert.Equal(bytes.Length, header + body);
                var plain = MqttWire.TryReadPlainPublish(bytes[0], bytes.AsSpan(header), v5 ? 5 : 4, out var readTopic, out var readId, out var offset);

                var expected = qos == 1 && !retain && !(v5 && extras == 4) && topic.Length > 0 && topic.IndexOfAny(['+', '#']) < 0;
                Assert.Equal(expected, plain);
                if (plain)
                {
                    Assert.Equal(topic, readTopic);
                    Assert.Equal(packetId, readId);
                    Assert.Equal(payload, bytes.AsSpan(header + offset).ToArray());
                }
                return true;
            }));

    [Fact]
    public void Property_Connect_ClientIdAndUserNameAsEncoded() =>
        Check.One(Property, Prop.ForAll(
            Gen.Elements(MqttProtocolVersion.V311, MqttProtocolVersion.V500)
                .Zip(Gen.Elements("", "edge-01", "機器-7")).Zip(Gen.Elements<string?>(null, "edge-01", "u"))
                .Zip(Gen.Elements(false, true)).Zip(Gen.Elements(false, true)).ToArbitrary(),
            input =>
            {
                var ((((version, clientId), user), will), properties) = input;
                var v5 = version == MqttProtocolVersion.V500;
                var packet = new MqttConnectPacket
                {
                    ClientId = clientId,
                    Username = user,
                    Password = user is null ? null : Encoding.UTF8.GetBytes("secret"),
                    CleanSession = true,
                    KeepAlivePeriod = 15,
                };
                if (will)
                {
                    packet.WillFlag = true;
                    packet.WillTopic = "fh/v1/agent/edge-01/status";
                    packet.WillMessage = Encoding.UTF8.GetBytes("""{"online":false}""");
                    packet.WillQoS = MqttQualityOfServiceLevel.AtLeastOnce;
                    packet.WillRetain = true;
                    if (v5 && properties)
                    {
                        packet.WillContentType = "application/json";
                        packet.WillDelayInterval = 5;
                    }
                }
                if (v5 && properties)
                {
                    packet.SessionExpiryInterval = 3600;
                    packet.UserProperties = [new("k", "v"u8.ToArray().AsMemory())];
                }
                var bytes = Encode(packet, version);

                Assert.Equal(FrameStatus.Complete, MqttWire.ReadFrame(bytes, out var header, out _));
                Assert.True(MqttWire.TryReadConnect(bytes.AsSpan(header), out var level, out var readClientId, out var readUser));
                Assert.Equal(v5 ? 5 : 4, level);
                Assert.Equal(clientId, readClientId);
                Assert.Equal(user, readUser);
                return true;
            }));

    [Fact]
    public void ReadFrame_LengthFieldLongerThanFourBytes_Malformed() =>
        Assert.Equal(FrameStatus.Malformed, MqttWire.ReadFrame([0x30, 0xFF, 0xFF, 0xFF, 0xFF, 0x01], out _, out _));

    [Fact]
    public void ReadFrame_LengthFieldCutShort_Incomplete() =>
        Assert.Equal(FrameStatus.Incomplete, MqttWire.ReadFrame([0x30, 0xFF, 0xFF], out _, out _));

    [Theory]
    [InlineData(4, 0x10)]
    [InlineData(5, 0x00)]
    public void WritePubAck_ShortFormWhereMqttnetWritesIt(int level, byte reason)
    {
        var ack = new byte[8];
        var length = MqttWire.WritePubAck(ack, 0x1234, level, reason);
        var version = level == 5 ? MqttProtocolVersion.V500 : MqttProtocolVersion.V311;
        Assert.Equal(Encode(new MqttPubAckPacket { PacketIdentifier = 0x1234, ReasonCode = (MqttPubAckReasonCode)reason }, version), ack[..length]);
    }

    [Fact]
    public void WritePubAck_V5ReasonCode_AsMqttnetWritesIt()
    {
        var ack = new byte[8];
        var length = MqttWire.WritePubAck(ack, 7, 5, 0x10);
        Assert.Equal(Encode(new MqttPubAckPacket { PacketIdentifier = 7, ReasonCode = MqttPubAckReasonCode.NoMatchingSubscribers }, MqttProtocolVersion.V500), ack[..length]);
    }
}
