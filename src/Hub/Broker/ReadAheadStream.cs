namespace FacilityHub.Hub.Broker;

/// <summary>
/// Reads ahead into a buffer of its own and serves small reads from it; writes go straight through. MQTTnet reads
/// each packet in pieces of 1 and 2 bytes and then its body, and on a bare socket each piece is a system call.
/// One reader and one writer may use it at once (MQTTnet's receive and send loops): they share no state here.
/// </summary>
internal sealed class ReadAheadStream(Stream inner, int bufferBytes) : Stream
{
    private readonly byte[] _buffer = new byte[bufferBytes];
    private int _start;
    private int _end;

    public override bool CanRead => true;
    public override bool CanWrite => true;
    public override bool CanSeek => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override ValueTask<int> ReadAsync(Memory<byte> destination, CancellationToken cancellationToken = default)
    {
        if (_start < _end)
        {
            return ValueTask.FromResult(Take(destination.Span));
        }
        return destination.Length >= _buffer.Length
            ? inner.ReadAsync(destination, cancellationToken)
            : FillAndTakeAsync(destination, cancellationToken);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(Span<byte> destination)
    {
        if (_start == _end)
        {
            if (destination.Length >= _buffer.Length)
            {
                return inner.Read(destination);
            }
            _start = 0;
            _end = inner.Read(_buffer);
        }
        return Take(destination);
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> source, CancellationToken cancellationToken = default) =>
        inner.WriteAsync(source, cancellationToken);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        inner.WriteAsync(buffer, offset, count, cancellationToken);

    public override void Write(ReadOnlySpan<byte> source) => inner.Write(source);

    public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override void Flush() => inner.Flush();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }
        base.Dispose(disposing);
    }

    private async ValueTask<int> FillAndTakeAsync(Memory<byte> destination, CancellationToken ct)
    {
        var read = await inner.ReadAsync(_buffer, ct);
        _start = 0;
        _end = read;
        return read == 0 ? 0 : Take(destination.Span);
    }

    private int Take(Span<byte> destination)
    {
        var count = Math.Min(destination.Length, _end - _start);
        _buffer.AsSpan(_start, count).CopyTo(destination);
        _start += count;
        return count;
    }
}
