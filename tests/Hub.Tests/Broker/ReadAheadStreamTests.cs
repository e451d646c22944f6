using FacilityHub.Hub.Broker;
using FsCheck;
using FsCheck.Fluent;

namespace FacilityHub.Hub.Tests.Broker;

public sealed class ReadAheadStreamTests
{
    private static readonly Config Property = Config.QuickThrowOnFailure.WithMaxTest(300).WithReplay(new Replay(new Rnd(20261124UL, 0x9E3779B97F4A7C15UL), null));

    [Fact]
    public async Task ReadAsync_SmallReads_ServedFromOneReadOfTheSocket()
    {
        var ct = TestContext.Current.CancellationToken;
        var inner = new ChunkedStream([.. Enumerable.Range(0, 300).Select(i => (byte)i)], chunk: 1000);
        await using var stream = new ReadAheadStream(inner, 256);
        var header = new byte[2];
        var length = new byte[1];
        var body = new byte[100];

        Assert.Equal(2, await stream.ReadAsync(header, ct));
        Assert.Equal(1, await stream.ReadAsync(length, ct));
        Assert.Equal(100, await stream.ReadAsync(body, ct));

        Assert.Equal([0, 1], header);
        Assert.Equal([2], length);
        Assert.Equal(Enumerable.Range(3, 100).Select(i => (byte)i), body);
        // The first read asked for the whole buffer; the next two were served from it.
        Assert.Equal(1, inner.Reads);
    }

    [Fact]
    public async Task ReadAsync_EndOfStream_ReturnsZeroAfterTheLastByte()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var stream = new ReadAheadStream(new ChunkedStream([1, 2, 3], chunk: 2), 16);
        var buffer = new byte[8];
        Assert.Equal(2, await stream.ReadAsync(buffer, ct));
        Assert.Equal(1, await stream.ReadAsync(buffer, ct));
        Assert.Equal(0, await stream.ReadAsync(buffer, ct));
    }

    [Fact]
    public async Task WriteAsync_GoesStraightThrough()
    {
        var ct = TestContext.Current.CancellationToken;
        var inner = new ChunkedStream([], chunk: 1);
        await using var stream = new ReadAheadStream(inner, 16);
        await stream.WriteAsync(new byte[] { 0x40, 0x02, 0x00, 0x07 }, ct);
        Assert.Equal([0x40, 0x02, 0x00, 0x07], inner.Written.ToArray());
    }

    /// <summary>However the socket splits the bytes and however MQTTnet asks for them, the same bytes come out in order.</summary>
    [Fact]
    public void Property_AnyChunkingAndAnyReadSizes_SameBytesInOrder() =>
        Check.One(Property, Prop.ForAll(
            Gen.Choose(0, 3000).Zip(Gen.Choose(1, 700)).Zip(Gen.Choose(1, 300)).Zip(Gen.NonEmptyListOf(Gen.Choose(1, 600))).ToArbitrary(),
            input =>
            {
                var (((length, chunk), bufferBytes), readSizes) = input;
                var data = Enumerable.Range(0, length).Select(i => (byte)(i * 7)).ToArray();
                using var stream = new ReadAheadStream(new ChunkedStream(data, chunk), bufferBytes);
                var output = new List<byte>();
                for (var i = 0; ; i++)
                {
                    var buffer = new byte[readSizes[i % readSizes.Count]];
                    var read = i % 2 == 0 ? Completed(stream.ReadAsync(buffer)) : stream.Read(buffer);
                    if (read == 0)
                    {
                        break;
                    }
                    output.AddRange(buffer.AsSpan(0, read));
                }
                return output.SequenceEqual(data);
            }));

    // The chunked stream below completes every read at once, so the async path never waits here.
    private static int Completed(ValueTask<int> read) =>
        read.IsCompletedSuccessfully ? read.Result : throw new InvalidOperationException("the chunked stream completes synchronously");

    /// <summary>A socket that hands out at most <c>chunk</c> bytes per read, and counts the reads.</summary>
    private sealed class ChunkedStream(byte[] data, int chunk) : Stream
    {
        private int _position;

        public int Reads { get; private set; }

        public MemoryStream Written { get; } = new();

        public override bool CanRead => true;
        public override bool CanWrite => true;
        public override bool CanSeek => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            Reads++;
            var n = Math.Min(Math.Min(chunk, buffer.Length), data.Length - _position);
            data.AsSpan(_position, n).CopyTo(buffer);
            _position += n;
            return n;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Read(buffer.Span));

        public override void Write(byte[] buffer, int offset, int count) => Written.Write(buffer, offset, count);

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Written.Write(buffer.Span);
            return ValueTask.CompletedTask;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
