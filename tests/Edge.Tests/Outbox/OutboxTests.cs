using FacilityHub.Edge.Outbox;
using FacilityHub.Edge.Publishing;
using FacilityHub.Edge.Tests.Support;
using FacilityHub.TestSupport;
using Microsoft.Extensions.Logging;

namespace FacilityHub.Edge.Tests.Outbox;

public sealed class OutboxTests : IDisposable
{
    private readonly TempDir _dir = new("outbox");
    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 11, 23, 1, 0, 0, TimeSpan.Zero));
    private readonly CollectingLoggerProvider _logs = new();

    private string PathOf(string name = "outbox.db") => _dir.Combine(name);

    private OutboxStore Open(long maxBytes = 1024 * 1024, TimeSpan? maxAge = null, string? path = null) =>
        OutboxStore.Open(path ?? PathOf(), maxBytes, maxAge ?? TimeSpan.FromDays(7), _clock, _logs.CreateLogger<OutboxStore>());

    private static List<long> Seqs(OutboxStore outbox) => outbox.Read(0, long.MaxValue, int.MaxValue).Select(m => m.Seq).ToList();

    private long SizeOnDisk() => new FileInfo(PathOf()).Length + (File.Exists(PathOf() + "-wal") ? new FileInfo(PathOf() + "-wal").Length : 0);

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Append_ThenReopen_KeepsEveryMessageByteForByte()
    {
        var batch = Messages.Aps(100, 50).Append(Messages.Shelter(150)).Append(Messages.Weather(151)).ToList();
        using (var outbox = Open())
        {
            outbox.Append(batch);
        }

        using var reopened = Open();
        var read = reopened.Read(0, long.MaxValue, 1000);
        Assert.Equal(batch.Select(m => (m.Seq, m.Kind, m.Topic)), read.Select(m => (m.Seq, m.Kind, m.Topic)));
        Assert.All(batch.Zip(read), pair => Assert.Equal(pair.First.Payload, pair.Second.Payload));
        Assert.Equal(151, reopened.LastSeq);
        Assert.Equal(52, reopened.Count);
    }

    [Fact]
    public void Read_Window_ReturnsOnlySeqsInsideItOldestFirst()
    {
        using var outbox = Open();
        outbox.Append(Messages.Aps(1, 20));

        Assert.Equal([6, 7, 8], outbox.Read(5, 8, 100).Select(m => m.Seq));
        Assert.Equal([6, 7], outbox.Read(5, 8, 2).Select(m => m.Seq));
    }

    [Fact]
    public void Acknowledge_Ranges_RemovesExactlyThoseSeqs()
    {
        using var outbox = Open();
        outbox.Append(Messages.Aps(100, 60));

        var removed = outbox.Acknowledge([new SeqRange(100, 150), new SeqRange(152, 152), new SeqRange(5000, 6000)]);

        Assert.Equal(52, removed);
        Assert.Equal([151, 153, 154, 155, 156, 157, 158, 159], Seqs(outbox));
        Assert.Equal(8, outbox.Count);
        Assert.Equal(0, outbox.Acknowledge([new SeqRange(100, 150)]));
    }

    [Fact]
    public void Acknowledge_Everything_KeepsLastSeqAcrossReopen()
    {
        using (var outbox = Open())
        {
            outbox.Append(Messages.Aps(1_000, 10));
            outbox.Acknowledge([new SeqRange(0, long.MaxValue)]);
            Assert.Equal(0, outbox.Count);
        }

        // The agent's seq continues above this after a restart, even with nothing left in the outbox.
        using var reopened = Open();
        Assert.Equal(1_009, reopened.LastSeq);
        Assert.Empty(Seqs(reopened));
    }

    [Fact]
    public void Open_AfterATornFinalCommit_KeepsEveryEarlierCommitAndNothingOfTheTornOne()
    {
        var crashed = PathOf("crashed.db");
        using (var outbox = Open())
        {
            outbox.Append(Messages.Aps(1, 40));
            var walAfterFirst = new FileInfo(PathOf() + "-wal").Length;
            outbox.Append(Messages.Aps(41, 40, bytes: 2000));
            var walAfterSecond = new FileInfo(PathOf() + "-wal").Length;
            Assert.True(walAfterSecond > walAfterFirst, "the second commit should be in the WAL, not yet checkpointed");

            // What the disk holds if the power fails halfway through writing the second commit: the
            // database file, and the WAL cut off in the middle of that commit's frames.
            File.Copy(PathOf(), crashed);
            using var wal = File.OpenRead(PathOf() + "-wal");
            using var torn = File.Create(crashed + "-wal");
            var keep = walAfterFirst + ((walAfterSecond - walAfterFirst) / 2);
            var buffer = new byte[keep];
            wal.ReadExactly(buffer);
            torn.Write(buffer);
        }

        using var recovered = Open(path: crashed);
        Assert.Equal(Enumerable.Range(1, 40).Select(i => (long)i), Seqs(recovered));
        Assert.Equal(40, recovered.LastSeq);
    }

    [Fact]
    public void Open_WalEndingInGarbage_KeepsEveryCommit()
    {
        var crashed = PathOf("garbage.db");
        using (var outbox = Open())
        {
            outbox.Append(Messages.Aps(1, 30));
            File.Copy(PathOf(), crashed);
            File.Copy(PathOf() + "-wal", crashed + "-wal");
        }
        using (var wal = new FileStream(crashed + "-wal", FileMode.Append))
        {
            var garbage = new byte[5000];
            new Random(7).NextBytes(garbage);
            wal.Write(garbage);
        }

        using var recovered = Open(path: crashed);
        Assert.Equal(30, Seqs(recovered).Count);
    }

    [Fact]
    public void Open_SecondOutboxOnTheSameFile_FailsNamingThePath()
    {
        using var first = Open();

        var error = Assert.Throws<OutboxUnavailableException>(() => Open());

        Assert.Contains($"Outbox:Path '{PathOf()}' cannot be opened", error.Message, StringComparison.Ordinal);
        Assert.Contains("another agent", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Append_OverMaxBytes_EvictsOldestApAndWeatherFirstAndKeepsEveryShelter()
    {
        var each = OutboxStore.SizeOf(Messages.Ap(1));
        using var outbox = Open(maxBytes: 100 * each);
        var batch = new List<OutgoingMessage>();
        for (var seq = 1; seq <= 100; seq++)
        {
            batch.Add(seq % 10 == 0 ? Messages.Shelter(seq) : seq % 3 == 0 ? Messages.Weather(seq) : Messages.Ap(seq));
        }
        outbox.Append(batch);

        var evictedNow = outbox.Append(Messages.Aps(101, 25));

        Assert.Empty(evictedNow);
        var expectedGone = batch.Where(m => m.Kind != MessageKind.Shelter).Take(25).Select(m => m.Seq).ToHashSet();
        var left = Seqs(outbox);
        Assert.Equal(100, left.Count);
        Assert.DoesNotContain(left, expectedGone.Contains);
        Assert.All(batch.Where(m => m.Kind == MessageKind.Shelter), m => Assert.Contains(m.Seq, left));
        var stats = outbox.Stats();
        Assert.Equal((25, 0), (stats.EvictedTelemetry, stats.EvictedShelters));
        Assert.Contains(_logs.Lines, l => l.Level == LogLevel.Warning && l.Message.StartsWith("Evicted 25 AP/weather messages", StringComparison.Ordinal));
    }

    [Fact]
    public void Append_TelemetryIntoAnOutboxFullOfShelters_EvictsTheNewTelemetryNotAShelter()
    {
        var each = OutboxStore.SizeOf(Messages.Shelter(1));
        using var outbox = Open(maxBytes: 10 * each);
        outbox.Append(Enumerable.Range(1, 10).Select(i => Messages.Shelter(i)).ToList());

        var evictedNow = outbox.Append([Messages.Ap(11), Messages.Weather(12)]);

        Assert.Equal([11, 12], evictedNow.Order());
        Assert.Equal(Enumerable.Range(1, 10).Select(i => (long)i), Seqs(outbox));
        Assert.Equal((2, 0), (outbox.Stats().EvictedTelemetry, outbox.Stats().EvictedShelters));
    }

    [Fact]
    public void Append_ShelterIntoAnOutboxFullOfShelters_EvictsTheOldestShelterLoudly()
    {
        var each = OutboxStore.SizeOf(Messages.Shelter(1));
        using var outbox = Open(maxBytes: 10 * each);
        outbox.Append(Enumerable.Range(1, 10).Select(i => Messages.Shelter(i)).ToList());

        var evictedNow = outbox.Append([Messages.Shelter(11), Messages.Shelter(12)]);

        Assert.Empty(evictedNow);
        Assert.Equal(Enumerable.Range(3, 10).Select(i => (long)i), Seqs(outbox));
        Assert.Equal((0, 2), (outbox.Stats().EvictedTelemetry, outbox.Stats().EvictedShelters));
        Assert.Contains(_logs.Lines, l => l.Level == LogLevel.Error && l.Message.StartsWith("Evicted 2 SHELTER REPORTS", StringComparison.Ordinal));
    }

    [Fact]
    public void Append_EvictionsInOneMinute_LoggedOnceThenSummed()
    {
        var each = OutboxStore.SizeOf(Messages.Ap(1));
        using var outbox = Open(maxBytes: 10 * each);
        outbox.Append(Messages.Aps(1, 10));
        for (var seq = 11; seq <= 40; seq++)
        {
            outbox.Append([Messages.Ap(seq)]);
            _clock.Advance(TimeSpan.FromSeconds(1));
        }
        _clock.Advance(TimeSpan.FromMinutes(1));
        outbox.Append([Messages.Ap(41)]);

        var lines = _logs.Lines.Where(l => l.Level == LogLevel.Warning).Select(l => l.Message).ToList();
        Assert.Equal(2, lines.Count);
        Assert.StartsWith("Evicted 1 AP/weather messages", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("Evicted 30 AP/weather messages", lines[1], StringComparison.Ordinal);
        Assert.Equal(31, outbox.Stats().Evicted);
    }

    [Fact]
    public void EvictExpired_MessagesOlderThanMaxAge_AreDroppedWhateverTheirKindAndCounted()
    {
        using var outbox = Open(maxAge: TimeSpan.FromHours(1));
        outbox.Append([Messages.Ap(1), Messages.Shelter(2)]);
        _clock.Advance(TimeSpan.FromMinutes(30));
        outbox.Append([Messages.Ap(3)]);
        _clock.Advance(TimeSpan.FromMinutes(31));

        Assert.Equal(2, outbox.EvictExpired());

        Assert.Equal([3], Seqs(outbox));
        Assert.Equal((1, 1), (outbox.Stats().EvictedTelemetry, outbox.Stats().EvictedShelters));
        Assert.Equal(0, outbox.EvictExpired());
    }

    [Fact]
    public void Stats_EvictionCounts_SurviveReopen()
    {
        var each = OutboxStore.SizeOf(Messages.Ap(1));
        using (var outbox = Open(maxBytes: 5 * each))
        {
            outbox.Append(Messages.Aps(1, 8));
        }

        using var reopened = Open(maxBytes: 5 * each);
        Assert.Equal(3, reopened.Stats().Evicted);
    }

    [Fact]
    public void Stats_OldestUnacked_IsTheAgeOfTheOldestMessageStillHere()
    {
        using var outbox = Open();
        Assert.Equal(0, outbox.Stats().OldestUnackedSeconds(_clock.GetUtcNow()));
        outbox.Append([Messages.Ap(1)]);
        _clock.Advance(TimeSpan.FromSeconds(40));
        outbox.Append([Messages.Ap(2)]);
        _clock.Advance(TimeSpan.FromSeconds(2));

        Assert.Equal(42, outbox.Stats().OldestUnackedSeconds(_clock.GetUtcNow()));
        outbox.Acknowledge([new SeqRange(1, 1)]);
        Assert.Equal(2, outbox.Stats().OldestUnackedSeconds(_clock.GetUtcNow()));
    }

    [Fact]
    public void StateVersion_ChangesWhenTheOutboxEmptiesFillsOrEvicts_NotOnEveryMessage()
    {
        var each = OutboxStore.SizeOf(Messages.Ap(1));
        using var outbox = Open(maxBytes: 10 * each);
        var v0 = outbox.StateVersion;
        outbox.Append([Messages.Ap(1)]);
        var v1 = outbox.StateVersion;
        outbox.Append([Messages.Ap(2)]);
        var v2 = outbox.StateVersion;
        outbox.Acknowledge([new SeqRange(1, 2)]);
        var v3 = outbox.StateVersion;
        outbox.Append(Messages.Aps(3, 11));
        var v4 = outbox.StateVersion;

        Assert.NotEqual(v0, v1);
        Assert.Equal(v1, v2);
        Assert.NotEqual(v2, v3);
        Assert.NotEqual(v3, v4);
    }

    [Fact]
    public void Append_ManyTimesTheBound_FileStaysNearTheBound()
    {
        const long maxBytes = 2 * 1024 * 1024;
        using var outbox = Open(maxBytes: maxBytes);
        for (var round = 0; round < 20; round++)
        {
            outbox.Append(Messages.Aps(1 + (round * 2_000L), 2_000, bytes: 500));
        }

        Assert.True(outbox.Stats().Bytes <= maxBytes);
        var onDisk = SizeOnDisk();
        // The database file reuses the pages of evicted messages; the WAL is capped by journal_size_limit (8 MiB).
        Assert.True(onDisk < (maxBytes * 2) + (9 * 1024 * 1024), $"{onDisk} bytes on disk for a {maxBytes}-byte outbox");
    }

    [Fact]
    public void Acknowledge_DrainingALargeBacklog_GivesTheSpaceBack()
    {
        using var outbox = Open(maxBytes: 64 * 1024 * 1024);
        for (var round = 0; round < 10; round++)
        {
            outbox.Append(Messages.Aps(1 + (round * 2_000L), 2_000, bytes: 500));
        }
        var full = SizeOnDisk();

        outbox.Acknowledge([new SeqRange(1, 20_000)]);

        var drained = SizeOnDisk();
        Assert.True(full > 8 * 1024 * 1024, $"{full}");
        Assert.True(drained < full / 10, $"{drained} bytes left of {full}");
    }
}
