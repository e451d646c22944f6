using FacilityHub.Edge.Publishing;
using FacilityHub.Edge.Tests.Support;

namespace FacilityHub.Edge.Tests.Publishing;

public sealed class SequenceCounterTests
{
    [Fact]
    public void Next_FirstCall_StartsAboveTheUnixMillisecondsOfProcessStart()
    {
        var clock = new ManualClock(new DateTimeOffset(2026, 11, 23, 1, 0, 0, TimeSpan.Zero));
        var counter = new SequenceCounter(clock);

        Assert.Equal(clock.GetUtcNow().ToUnixTimeMilliseconds() + 1, counter.Next());
    }

    [Fact]
    public void Next_RestartedLater_StartsAboveEverythingTheEarlierProcessPublished()
    {
        var clock = new ManualClock(new DateTimeOffset(2026, 11, 23, 1, 0, 0, TimeSpan.Zero));
        var first = new SequenceCounter(clock);
        long last = 0;
        // An hour at 100 messages a second, several times what the simulator publishes.
        for (var i = 0; i < 360_000; i++)
        {
            last = first.Next();
        }
        clock.Advance(TimeSpan.FromHours(1));

        Assert.True(new SequenceCounter(clock).Next() > last);
    }

    [Fact]
    public async Task Next_FromManyThreads_NeverRepeats()
    {
        var counter = new SequenceCounter(new ManualClock(DateTimeOffset.UnixEpoch));
        var taken = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => Enumerable.Range(0, 10_000).Select(_ => counter.Next()).ToList())));

        var all = taken.SelectMany(x => x).ToList();
        Assert.Equal(all.Count, all.Distinct().Count());
    }
}
