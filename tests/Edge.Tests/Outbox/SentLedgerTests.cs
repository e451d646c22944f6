using FacilityHub.Edge.Outbox;
using FacilityHub.Edge.Tests.Support;

namespace FacilityHub.Edge.Tests.Outbox;

public sealed class SentLedgerTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 11, 23, 1, 0, 0, TimeSpan.Zero));

    [Fact]
    public void IsAwaitingAck_UntilTheTimeout_ThenDueAgain()
    {
        var ledger = new SentLedger(Timeout);
        Assert.False(ledger.IsAwaitingAck(1, _clock.GetUtcNow()));

        ledger.MarkSent(1, _clock.GetUtcNow());
        _clock.Advance(Timeout - TimeSpan.FromMilliseconds(1));
        Assert.True(ledger.IsAwaitingAck(1, _clock.GetUtcNow()));
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.False(ledger.IsAwaitingAck(1, _clock.GetUtcNow()));
    }

    [Fact]
    public void Acknowledge_Ranges_RemovesOnlyThoseSeqs()
    {
        var ledger = new SentLedger(Timeout);
        for (var seq = 100; seq <= 160; seq++)
        {
            ledger.MarkSent(seq, _clock.GetUtcNow());
        }

        ledger.Acknowledge([new SeqRange(100, 150), new SeqRange(152, 152), new SeqRange(0, 0)]);

        Assert.Equal(9, ledger.Count);
        Assert.True(ledger.IsAwaitingAck(151, _clock.GetUtcNow()));
        Assert.False(ledger.IsAwaitingAck(152, _clock.GetUtcNow()));
    }

    [Fact]
    public void Acknowledge_HugeRange_DoesNotWalkEverySeq()
    {
        var ledger = new SentLedger(Timeout);
        ledger.MarkSent(5, _clock.GetUtcNow());
        ledger.MarkSent(long.MaxValue - 1, _clock.GetUtcNow());

        ledger.Acknowledge([new SeqRange(0, long.MaxValue)]);

        Assert.Equal(0, ledger.Count);
    }

    [Fact]
    public void NextTimeout_IsTheEarliestOutstandingPublishPlusTheTimeout()
    {
        var ledger = new SentLedger(Timeout);
        Assert.Null(ledger.NextTimeout(_clock.GetUtcNow()));
        var first = _clock.GetUtcNow();
        ledger.MarkSent(1, first);
        _clock.Advance(TimeSpan.FromSeconds(5));
        ledger.MarkSent(2, _clock.GetUtcNow());

        Assert.Equal(first + Timeout, ledger.NextTimeout(_clock.GetUtcNow()));
        ledger.Acknowledge([new SeqRange(1, 1)]);
        Assert.Equal(first + TimeSpan.FromSeconds(5) + Timeout, ledger.NextTimeout(_clock.GetUtcNow()));
    }

    [Fact]
    public void MarkSent_Again_CountsFromTheLatestPublish()
    {
        var ledger = new SentLedger(Timeout);
        ledger.MarkSent(1, _clock.GetUtcNow());
        _clock.Advance(TimeSpan.FromSeconds(20));
        ledger.MarkSent(1, _clock.GetUtcNow());
        _clock.Advance(TimeSpan.FromSeconds(20));

        Assert.True(ledger.IsAwaitingAck(1, _clock.GetUtcNow()));
        Assert.Equal(_clock.GetUtcNow() + TimeSpan.FromSeconds(10), ledger.NextTimeout(_clock.GetUtcNow()));
    }

    [Fact]
    public void Prune_TimedOutEntries_AreForgottenSoTheLedgerStaysSmall()
    {
        var ledger = new SentLedger(Timeout);
        for (var seq = 0; seq < 1000; seq++)
        {
            ledger.MarkSent(seq, _clock.GetUtcNow());
            _clock.Advance(TimeSpan.FromMilliseconds(100));
        }

        ledger.Prune(_clock.GetUtcNow());

        // 100 s of publishes, one every 100 ms; those of the last 30 s (70.1 s … 99.9 s) still await an ack.
        Assert.Equal(299, ledger.Count);
    }

    [Fact]
    public void AckTimeout_Lengthened_ThePublishWaitsLonger()
    {
        var ledger = new SentLedger(Timeout);
        ledger.MarkSent(1, _clock.GetUtcNow());
        ledger.AckTimeout = Timeout * 2;
        _clock.Advance(Timeout + TimeSpan.FromSeconds(1));

        Assert.True(ledger.IsAwaitingAck(1, _clock.GetUtcNow()));
        Assert.Equal(_clock.GetUtcNow() + Timeout - TimeSpan.FromSeconds(1), ledger.NextTimeout(_clock.GetUtcNow()));
    }

    [Fact]
    public void Clear_NewSession_MakesEverythingDue()
    {
        var ledger = new SentLedger(Timeout);
        ledger.MarkSent(1, _clock.GetUtcNow());

        ledger.Clear();

        Assert.False(ledger.IsAwaitingAck(1, _clock.GetUtcNow()));
        Assert.Null(ledger.NextTimeout(_clock.GetUtcNow()));
    }
}
