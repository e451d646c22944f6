using System.Text;

namespace FacilityHub.Hub.Storage;

/// <summary>
/// The hub's own durable buffer for when InfluxDB is away: line-protocol lines appended to segment files
/// and fsync'd before the messages they carry are acknowledged to their agents. Drained oldest first, so a
/// device's points reach InfluxDB in the order they arrived. Rewriting a line that was already written is
/// harmless (same series and timestamp overwrite), so the read position is a hint, not a commitment:
/// after a crash the oldest segment is simply written again from its last saved position.
/// Single-threaded: only the <see cref="InfluxWriter"/> loop touches it.
/// </summary>
public sealed class Spill : IDisposable
{
    private const long SegmentBytes = 64L * 1024 * 1024;
    private readonly string _directory;
    private FileStream? _appending;
    private long _appendingNumber;
    private long _lines;
    private bool _hasSegments;

    public Spill(string directory)
    {
        _directory = Path.GetFullPath(directory);
        Directory.CreateDirectory(_directory);
        // Segments left by an earlier run are only read from now on; a torn last line in one was never acknowledged.
        _lines = Segments().Sum(n => CountLines(n));
        _hasSegments = Segments().Any();
    }

    public string DirectoryPath => _directory;

    /// <summary>Lines waiting to be written to InfluxDB (approximate after a restart: counts whole lines on disk).</summary>
    public long PendingLines => _lines;

    public bool IsEmpty => !_hasSegments;

    /// <summary>Appends the lines and fsyncs; when this returns, they survive a crash of the hub or the machine.</summary>
    public void Append(IReadOnlyList<PendingPoint> points)
    {
        if (_appending is null || _appending.Length > SegmentBytes)
        {
            _appending?.Dispose();
            _appendingNumber = Math.Max(_appendingNumber, Segments().DefaultIfEmpty(0).Max()) + 1;
            _appending = new FileStream(SegmentPath(_appendingNumber), FileMode.CreateNew, FileAccess.Write, FileShare.Read, 1 << 16);
        }
        var bytes = Encoding.UTF8.GetBytes(string.Concat(points.Select(p => p.Line)));
        var before = _appending.Length;
        try
        {
            _appending.Write(bytes);
            _appending.Flush(flushToDisk: true);
        }
        catch (IOException)
        {
            // Cut off a partial write, so the next append does not start in the middle of a line.
            try
            {
                _appending.SetLength(before);
            }
            catch (IOException)
            {
                _appending.Dispose();
                _appending = null;
            }
            throw;
        }
        _lines += points.Count;
        _hasSegments = true;
    }

    /// <summary>Up to <paramref name="max"/> whole lines from the oldest segment, with the position after them.</summary>
    public SpillChunk? ReadHead(int max)
    {
        foreach (var number in Segments())
        {
            var path = SegmentPath(number);
            var start = ReadPosition(number);
            var lines = new List<PendingPoint>(max);
            var position = start;
            using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite))
            {
                var from = Math.Min(start, stream.Length);
                var remaining = stream.Length - from;
                // Read what max lines of a few hundred bytes need, not the rest of a 64 MB segment; widen
                // only if not even one whole line fits (a long dead letter).
                var window = (int)Math.Min(remaining, (long)max * 1024);
                byte[] bytes;
                while (true)
                {
                    bytes = new byte[window];
                    stream.Position = from;
                    stream.ReadExactly(bytes);
                    if (window == remaining || bytes.AsSpan().IndexOf((byte)'\n') >= 0)
                    {
                        break;
                    }
                    window = (int)Math.Min(remaining, (long)window * 2);
                }
                var rest = bytes.AsSpan();
                // Whole lines only: an unterminated tail is a torn append, never fsync'd, never acknowledged.
                for (var end = rest.IndexOf((byte)'\n'); end >= 0 && lines.Count < max; end = rest.IndexOf((byte)'\n'))
                {
                    var line = Encoding.UTF8.GetString(rest[..(end + 1)]);
                    lines.Add(new PendingPoint(line, IsDeadLetter: line.StartsWith("rejected,", StringComparison.Ordinal)));
                    position += end + 1;
                    rest = rest[(end + 1)..];
                }
            }
            if (lines.Count > 0)
            {
                return new SpillChunk(number, position, lines);
            }
            if (number != _appendingNumber || _appending is null)
            {
                // Fully drained (or only a torn tail left) and no longer appended to: done with it.
                Delete(number);
                _hasSegments = Segments().Any();
                continue;
            }
            return null;
        }
        return null;
    }

    /// <summary>Records that a chunk is in InfluxDB.</summary>
    public void Advance(SpillChunk chunk)
    {
        _lines = Math.Max(0, _lines - chunk.Lines.Count);
        File.WriteAllText(PositionPath(chunk.Segment), chunk.End.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>When everything has been drained: closes and removes the segment being appended to.</summary>
    public void CloseIfDrained()
    {
        if (_appending is not null && ReadPosition(_appendingNumber) >= _appending.Length)
        {
            _appending.Dispose();
            _appending = null;
            Delete(_appendingNumber);
        }
        _hasSegments = Segments().Any();
        if (!_hasSegments)
        {
            _lines = 0;
        }
    }

    public void Dispose() => _appending?.Dispose();

    private IEnumerable<long> Segments() =>
        Directory.EnumerateFiles(_directory, "spill-*.lp")
            .Select(f => long.TryParse(Path.GetFileNameWithoutExtension(f)[6..], out var n) ? n : -1)
            .Where(n => n >= 0)
            .Order();

    private long ReadPosition(long number) =>
        File.Exists(PositionPath(number)) && long.TryParse(File.ReadAllText(PositionPath(number)), out var p) ? p : 0;

    private void Delete(long number)
    {
        File.Delete(SegmentPath(number));
        File.Delete(PositionPath(number));
    }

    private long CountLines(long number)
    {
        using var stream = new FileStream(SegmentPath(number), FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        stream.Position = Math.Min(ReadPosition(number), stream.Length);
        long count = 0;
        var buffer = new byte[1 << 16];
        int read;
        while ((read = stream.Read(buffer)) > 0)
        {
            count += buffer.AsSpan(0, read).Count((byte)'\n');
        }
        return count;
    }

    private string SegmentPath(long number) => Path.Combine(_directory, $"spill-{number:D8}.lp");

    private string PositionPath(long number) => Path.Combine(_directory, $"spill-{number:D8}.pos");
}

/// <summary>Lines read from the head of the spill, and where the next read starts once they are written.</summary>
public sealed record SpillChunk(long Segment, long End, IReadOnlyList<PendingPoint> Lines);
