using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using FacilityHub.Hub.Broker;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.Extensions.Time.Testing;
using MQTTnet.Formatter;
using MQTTnet.Packets;
using MQTTnet.Protocol;

namespace FacilityHub.Hub.Tests.Broker;

/// <summary>
/// AgentStream between a scripted socket and the test, which plays MQTTnet: it reads packets the way MQTTnet's
/// adapter does and writes what MQTTnet would answer. Packets are MQTTnet's own encodings.
/// </summary>
public sealed class AgentStreamTests
{
    private const string Agent = "edge-01";
    private static readonly Config Property = Config.QuickThrowOnFailure.WithMaxTest(300).WithReplay(new Replay(new Rnd(20261124UL, 0x9E3779B97F4A7C15UL), null));
    private static readonly byte[] PingReq = [0xC0, 0x00];

    [Fact]
    public async Task PlainPublishes_IngestedHere_AcknowledgedInOneWrite_MqttnetSeesOnlyTheNextPacket()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var c = await Connection.AcceptedAsync(MqttProtocolVersion.V500, ct);

        await c.Socket.ArriveAsync([.. Publish(1, "fh/v1/ap/civic/ap-01"), .. Publish(2, "fh/v1/ap/civic/ap-02"), .. Publish(3, "fh/v1/shelter/shl-1"), .. PingReq], ct);

        Assert.Equal(PingReq, await c.ReadPacketAsync(ct));
        Assert.Equal(["fh/v1/ap/civic/ap-01", "fh/v1/ap/civic/ap-02", "fh/v1/shelter/shl-1"], c.Ingested.Select(m => m.Topic));
        Assert.Equal("""{"n":3}""", c.Ingested[2].Payload);
        // CONNACK, then the three PUBACKs ("no matching subscribers", as MQTTnet answers) in one write.
        Assert.Equal(2, c.Socket.Writes.Count);
        Assert.Equal([.. PubAck(1, 0x10), .. PubAck(2, 0x10), .. PubAck(3, 0x10)], c.Socket.Writes[1]);
    }

    [Fact]
    public async Task DeclinedPublish_GoesToMqttnet_AndLaterOnesFollowItUntilMqttnetAnswers_AcksInOrder()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var c = await Connection.AcceptedAsync(MqttProtocolVersion.V500, ct);

        await c.Socket.ArriveAsync([.. Publish(1, "fh/v1/shelter/a"), .. Publish(2, "refused"), .. Publish(3, "fh/v1/shelter/b")], ct);

        Assert.Equal(Publish(2, "refused"), await c.ReadPacketAsync(ct));
        // The PUBACK for 1 went out before MQTTnet was given 2.
        Assert.Equal(PubAck(1, 0x10), c.Socket.Writes[^1]);
        // 3 is plain, but MQTTnet still owes 2 its PUBACK: 3 goes to MQTTnet too, behind it.
        Assert.Equal(Publish(3, "fh/v1/shelter/b"), await c.ReadPacketAsync(ct));
        Assert.Equal(["fh/v1/shelter/a", "refused"], c.Ingested.Select(m => m.Topic));

        await c.WriteAsync(Encode(new MqttPubAckPacket { PacketIdentifier = 2, ReasonCode = MqttPubAckReasonCode.NotAuthorized }, MqttProtocolVersion.V500), ct);
        await c.WriteAsync(Encode(new MqttPubAckPacket { PacketIdentifier = 3, ReasonCode = MqttPubAckReasonCode.NoMatchingSubscribers }, MqttProtocolVersion.V500), ct);
        await c.Socket.ArriveAsync([.. Publish(4, "fh/v1/shelter/c"), .. PingReq], ct);

        Assert.Equal(PingReq, await c.ReadPacketAsync(ct));
        Assert.Equal(PubAck(4, 0x10), c.Socket.Writes[^1]);
        Assert.Equal([1, 2, 3, 4], c.Socket.Writes.Skip(1).Select(w => (w[2] << 8) | w[3]));
    }

    [Fact]
    public async Task BusyAgent_OnePublishASecondGoesToMqttnet_SoItsKeepAliveWatchSeesTheConnection()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var c = await Connection.AcceptedAsync(MqttProtocolVersion.V500, ct);
        await c.Socket.ArriveAsync(Publish(1, "fh/v1/shelter/a"), ct);
        await c.Socket.ArriveAsync(PingReq, ct);
        Assert.Equal(PingReq, await c.ReadPacketAsync(ct));

        c.Time.Advance(AgentStream.ForwardEvery);
        await c.Socket.ArriveAsync(Publish(2, "fh/v1/shelter/b"), ct);

        Assert.Equal(Publish(2, "fh/v1/shelter/b"), await c.ReadPacketAsync(ct));
        Assert.Equal(["fh/v1/shelter/a"], c.Ingested.Select(m => m.Topic));
    }

    [Fact]
    public async Task Mqtt311_PubAckHasNoReasonCode()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var c = await Connection.AcceptedAsync(MqttProtocolVersion.V311, ct);

        await c.Socket.ArriveAsync([.. Publish(9, "fh/v1/shelter/a", MqttProtocolVersion.V311), .. PingReq], ct);

        Assert.Equal(PingReq, await c.ReadPacketAsync(ct));
        Assert.Equal(Encode(new MqttPubAckPacket { PacketIdentifier = 9 }, MqttProtocolVersion.V311), c.Socket.Writes[^1]);
    }

    [Fact]
    public async Task MessageTheHubRefuses_AcknowledgedWithSuccess_AsMqttnetDoes()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var c = await Connection.AcceptedAsync(MqttProtocolVersion.V500, ct);

        await c.Socket.ArriveAsync([.. Publish(5, "dead-letter"), .. PingReq], ct);

        Assert.Equal(PingReq, await c.ReadPacketAsync(ct));
        Assert.Equal(PubAck(5, 0x00), c.Socket.Writes[^1]);
    }

    [Theory]
    [InlineData("refused-connack")]
    [InlineData("anonymous-without-client-id")]
    [InlineData("client-id-not-the-user")]
    public async Task ConnectionTheShortcutCannotName_EverythingGoesToMqttnet(string connection)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var c = new Connection();
        var (clientId, user) = connection switch
        {
            "anonymous-without-client-id" => ("", null),
            "client-id-not-the-user" => ("someone-else", Agent),
            _ => (Agent, Agent),
        };
        var connect = Encode(new MqttConnectPacket { ClientId = clientId, Username = user, Password = user is null ? null : [1], CleanSession = true }, MqttProtocolVersion.V500);
        await c.Socket.ArriveAsync(connect, ct);
        Assert.Equal(connect, await c.ReadPacketAsync(ct));
        var code = connection == "refused-connack" ? MqttConnectReasonCode.NotAuthorized : MqttConnectReasonCode.Success;
        await c.WriteAsync(Encode(new MqttConnAckPacket { ReasonCode = code }, MqttProtocolVersion.V500), ct);

        await c.Socket.ArriveAsync(Publish(1, "fh/v1/shelter/a"), ct);

        Assert.Equal(Publish(1, "fh/v1/shelter/a"), await c.ReadPacketAsync(ct));
        Assert.Empty(c.Ingested);
    }

    [Fact]
    public async Task PacketLargerThanTheBuffer_GoesToMqttnetInPieces_LaterOnesTakeTheShortcutOnceItIsAnswered()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var c = await Connection.AcceptedAsync(MqttProtocolVersion.V500, ct, bufferBytes: 256);
        var big = Publish(1, "fh/v1/shelter/a", payload: new string('x', 1000));

        await c.Socket.ArriveAsync(big, ct);
        Assert.Equal(big, await c.ReadPacketAsync(ct));
        await c.WriteAsync(PubAck(1, 0x10), ct);
        await c.Socket.ArriveAsync([.. Publish(2, "fh/v1/shelter/b"), .. PingReq], ct);

        Assert.Equal(PingReq, await c.ReadPacketAsync(ct));
        Assert.Equal(["fh/v1/shelter/b"], c.Ingested.Select(m => m.Topic));
    }

    [Fact]
    public async Task Write_MqttnetPacketInPieces_NoAckInBetween()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var c = await Connection.AcceptedAsync(MqttProtocolVersion.V500, ct);
        var delivery = Encode(new MqttPublishPacket { Topic = "fh/v1/ack/edge-01", QualityOfServiceLevel = MqttQualityOfServiceLevel.AtLeastOnce, PacketIdentifier = 1, Payload = new ReadOnlySequence<byte>(new byte[100]) }, MqttProtocolVersion.V500);

        // MQTTnet starts a packet (its header), then the reader acknowledges a publish, then MQTTnet writes the rest.
        await c.WriteAsync(delivery[..10], ct);
        await c.Socket.ArriveAsync([.. Publish(7, "fh/v1/shelter/a"), .. PingReq], ct);
        var reading = c.ReadPacketAsync(ct);
        await c.WriteAsync(delivery[10..], ct);

        Assert.Equal(PingReq, await reading);
        Assert.Equal([.. delivery, .. PubAck(7, 0x10)], c.Socket.Writes.Skip(1).SelectMany(w => w));
    }

    /// <summary>Without the shortcut the stream only reads ahead: whatever the socket's chunks and MQTTnet's read sizes, the same bytes in order.</summary>
    [Fact]
    public void Property_WithoutShortcut_AnyChunkingAndAnyReadSizes_SameBytesInOrder() =>
        Check.One(Property, Prop.ForAll(
            Gen.Choose(0, 3000).Zip(Gen.Choose(1, 700)).Zip(Gen.Choose(1, 300)).Zip(Gen.NonEmptyListOf(Gen.Choose(1, 600))).ToArbitrary(),
            input =>
            {
                var (((length, chunk), bufferBytes), readSizes) = input;
                var data = Enumerable.Range(0, length).Select(i => (byte)(i * 7)).ToArray();
                using var stream = new AgentStream(new ChunkedStream(data, chunk), bufferBytes, null, TimeProvider.System);
                var output = new List<byte>();
                for (var i = 0; ; i++)
                {
                    var buffer = new byte[readSizes[i % readSizes.Count]];
                    var read = stream.ReadAsync(buffer.AsMemory()) is { IsCompletedSuccessfully: true } done
                        ? done.Result
                        : throw new InvalidOperationException("the chunked stream completes synchronously");
                    if (read == 0)
                    {
                        break;
                    }
                    output.AddRange(buffer.AsSpan(0, read));
                }
                return output.SequenceEqual(data);
            }));

    [Fact]
    public async Task ReadAsync_SmallReads_ServedFromOneReadOfTheSocket()
    {
        var ct = TestContext.Current.CancellationToken;
        var inner = new ChunkedStream([.. Enumerable.Range(0, 300).Select(i => (byte)i)], chunk: 1000);
        await using var stream = new AgentStream(inner, 256, null, TimeProvider.System);

        Assert.Equal(2, await stream.ReadAsync(new byte[2], ct));
        Assert.Equal(1, await stream.ReadAsync(new byte[1], ct));
        Assert.Equal(100, await stream.ReadAsync(new byte[100], ct));
        Assert.Equal(1, inner.Reads);
    }

    private static byte[] Encode(MqttPacket packet, MqttProtocolVersion version) => MqttWireTests.Encode(packet, version);

    private static byte[] Publish(ushort id, string topic, MqttProtocolVersion version = MqttProtocolVersion.V500, string? payload = null) =>
        Encode(new MqttPublishPacket
        {
            Topic = topic,
            QualityOfServiceLevel = MqttQualityOfServiceLevel.AtLeastOnce,
            PacketIdentifier = id,
            Payload = new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(payload ?? $$"""{"n":{{id}}}""")),
        }, version);

    private static byte[] PubAck(ushort id, byte reason) =>
        Encode(new MqttPubAckPacket { PacketIdentifier = id, ReasonCode = (MqttPubAckReasonCode)reason }, MqttProtocolVersion.V500);

    /// <summary>One connection: the scripted socket, the stream, and what the shortcut was given.</summary>
    private sealed class Connection(int bufferBytes = 4096) : IAsyncDisposable
    {
        public ScriptedSocket Socket { get; } = new();

        public FakeTimeProvider Time { get; } = new();

        public List<(string Topic, string Payload)> Ingested { get; } = [];

        public AgentStream Stream => field ??= new AgentStream(Socket, bufferBytes, IngestAsync, Time);

        public static async Task<Connection> AcceptedAsync(MqttProtocolVersion version, CancellationToken ct, int bufferBytes = 4096)
        {
            var c = new Connection(bufferBytes);
            var connect = Encode(new MqttConnectPacket { ClientId = Agent, Username = Agent, Password = [1], CleanSession = true, KeepAlivePeriod = 1 }, version);
            await c.Socket.ArriveAsync(connect, ct);
            Assert.Equal(connect, await c.ReadPacketAsync(ct));
            await c.WriteAsync(Encode(new MqttConnAckPacket { ReasonCode = MqttConnectReasonCode.Success }, version), ct);
            return c;
        }

        /// <summary>Reads one packet as MQTTnet's adapter does: the first byte, the length a byte at a time, then the body.</summary>
        public async Task<byte[]> ReadPacketAsync(CancellationToken ct)
        {
            var packet = new List<byte>();
            var one = new byte[1];
            await ReadExactlyAsync(one, ct);
            packet.Add(one[0]);
            int length = 0, shift = 0;
            do
            {
                await ReadExactlyAsync(one, ct);
                packet.Add(one[0]);
                length |= (one[0] & 0x7F) << shift;
                shift += 7;
            }
            while ((one[0] & 0x80) != 0);
            var body = new byte[length];
            await ReadExactlyAsync(body, ct);
            packet.AddRange(body);
            return [.. packet];
        }

        public Task WriteAsync(byte[] packet, CancellationToken ct) => Stream.WriteAsync(packet, ct).AsTask();

        public async ValueTask DisposeAsync() => await Stream.DisposeAsync();

        private async Task ReadExactlyAsync(byte[] buffer, CancellationToken ct)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(10));
            await Stream.ReadExactlyAsync(buffer, timeout.Token);
        }

        // What EmbeddedBroker.IngestDirectAsync answers: declines "refused", refuses "dead-letter", accepts the rest.
        private ValueTask<byte?> IngestAsync(string clientId, string? userName, string topic, ReadOnlySequence<byte> payload, CancellationToken ct)
        {
            Assert.Equal(Agent, clientId);
            Assert.Equal(Agent, userName);
            Ingested.Add((topic, Encoding.UTF8.GetString(payload)));
            return ValueTask.FromResult<byte?>(topic switch
            {
                "refused" => null,
                "dead-letter" => 0x00,
                _ => 0x10,
            });
        }
    }

    /// <summary>A socket whose bytes arrive when the test says, and which records each write.</summary>
    private sealed class ScriptedSocket : Stream
    {
        private readonly Pipe _inbound = new();

        public List<byte[]> Writes { get; } = [];

        public async Task ArriveAsync(byte[] bytes, CancellationToken ct) => await _inbound.Writer.WriteAsync(bytes, ct);

        public override bool CanRead => true;
        public override bool CanWrite => true;
        public override bool CanSeek => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var result = await _inbound.Reader.ReadAsync(cancellationToken);
            var count = (int)Math.Min(buffer.Length, result.Buffer.Length);
            result.Buffer.Slice(0, count).CopyTo(buffer.Span);
            _inbound.Reader.AdvanceTo(result.Buffer.GetPosition(count));
            return count;
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Writes.Add(buffer.ToArray());
            return ValueTask.CompletedTask;
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }

    /// <summary>A socket that hands out at most <c>chunk</c> bytes per read, and counts the reads.</summary>
    private sealed class ChunkedStream(byte[] data, int chunk) : Stream
    {
        private int _position;

        public int Reads { get; private set; }

        public override bool CanRead => true;
        public override bool CanWrite => false;
        public override bool CanSeek => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Reads++;
            var n = Math.Min(Math.Min(chunk, buffer.Length), data.Length - _position);
            data.AsSpan(_position, n).CopyTo(buffer.Span);
            _position += n;
            return ValueTask.FromResult(n);
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
