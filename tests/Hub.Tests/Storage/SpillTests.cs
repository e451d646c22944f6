using FacilityHub.Hub.Storage;
using FacilityHub.TestSupport;

namespace FacilityHub.Hub.Tests.Storage;

public sealed class SpillTests : IDisposable
{
    private readonly TempDir _dir = new("spill-unit");

    private static PendingPoint[] Lines(int from, int count) =>
        [.. Enumerable.Range(from, count).Select(i => new PendingPoint($"m v={i}i {i}\n"))];

    [Fact]
    public void AppendThenRead_ReturnsLinesInOrderAndEmptiesAfterAdvance()
    {
        using var spill = new Spill(_dir.Path);
        Assert.True(spill.IsEmpty);
        spill.Append(Lines(0, 3));
        spill.Append(Lines(3, 2));
        Assert.Equal(5, spill.PendingLines);

        var first = spill.ReadHead(4)!;
        Assert.Equal(["m v=0i 0\n", "m v=1i 1\n", "m v=2i 2\n", "m v=3i 3\n"], first.Lines.Select(l => l.Line));
        spill.Advance(first);
        var second = spill.ReadHead(4)!;
        Assert.Equal("m v=4i 4\n", Assert.Single(second.Lines).Line);
        spill.Advance(second);
        Assert.Null(spill.ReadHead(4));
        spill.CloseIfDrained();
        Assert.True(spill.IsEmpty);
        Assert.Empty(Directory.GetFiles(_dir.Path));
    }

    [Fact]
    public void Restart_ResumesFromTheLastAdvanceAndSkipsATornTail()
    {
        using (var spill = new Spill(_dir.Path))
        {
            spill.Append(Lines(0, 4));
            spill.Advance(spill.ReadHead(2)!);
        }
        // A crash in the middle of an append leaves a line without its newline: it was never acknowledged.
        var segment = Directory.GetFiles(_dir.Path, "spill-*.lp").Single();
        File.AppendAllText(segment, "m v=99i 99");

        using var resumed = new Spill(_dir.Path);
        Assert.False(resumed.IsEmpty);
        Assert.Equal(2, resumed.PendingLines);
        var chunk = resumed.ReadHead(10)!;
        Assert.Equal(["m v=2i 2\n", "m v=3i 3\n"], chunk.Lines.Select(l => l.Line));
        resumed.Advance(chunk);
        Assert.Null(resumed.ReadHead(10));
        Assert.True(resumed.IsEmpty);
    }

    [Fact]
    public void NewAppendsAfterRestart_GoToANewSegmentAfterTheOldOnes()
    {
        using (var spill = new Spill(_dir.Path))
        {
            spill.Append(Lines(0, 2));
        }
        using var resumed = new Spill(_dir.Path);
        resumed.Append(Lines(2, 2));
        var order = new List<string>();
        while (resumed.ReadHead(1) is { } chunk)
        {
            order.AddRange(chunk.Lines.Select(l => l.Line));
            resumed.Advance(chunk);
        }
        Assert.Equal(["m v=0i 0\n", "m v=1i 1\n", "m v=2i 2\n", "m v=3i 3\n"], order);
    }

    [Fact]
    public void ReadHead_LineLongerThanTheFirstReadWindow_IsReadWhole()
    {
        using var spill = new Spill(_dir.Path);
        var longLine = $"rejected,reason=x payload_head=\"{new string('a', 5000)}\" 1\n";
        spill.Append([new PendingPoint(longLine, IsDeadLetter: true), .. Lines(2, 1)]);
        var first = spill.ReadHead(1)!;
        Assert.Equal(longLine, Assert.Single(first.Lines).Line);
        spill.Advance(first);
        Assert.Equal("m v=2i 2\n", Assert.Single(spill.ReadHead(1)!.Lines).Line);
    }

    [Fact]
    public void DeadLetterLines_AreMarkedWhenRead()
    {
        using var spill = new Spill(_dir.Path);
        spill.Append([new PendingPoint("rejected,reason=x topic=\"t\" 1\n", IsDeadLetter: true)]);
        Assert.True(Assert.Single(spill.ReadHead(5)!.Lines).IsDeadLetter);
    }

    public void Dispose() => _dir.Dispose();
}
