using FacilityHub.Edge.Outbox;
using FacilityHub.Edge.Tests.Support;

namespace FacilityHub.Edge.Tests.Outbox;

public sealed class BacklogThrottleTests
{
    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 11, 23, 1, 0, 0, TimeSpan.Zero));

    private int TakeAll(BacklogThrottle throttle)
    {
        var taken = 0;
        while (throttle.TryTake(_clock.GetUtcNow()))
        {
            taken++;
        }
        return taken;
    }

    [Fact]
    public void TryTake_AtStart_AllowsABurstOfATenthOfASecond()
    {
        Assert.Equal(20, TakeAll(new BacklogThrottle(200, _clock.GetUtcNow())));
    }

    [Fact]
    public void TryTake_OverTenSeconds_AllowsTheRate()
    {
        var throttle = new BacklogThrottle(200, _clock.GetUtcNow());
        var taken = TakeAll(throttle);
        for (var step = 0; step < 1000; step++)
        {
            _clock.Advance(TimeSpan.FromMilliseconds(10));
            taken += TakeAll(throttle);
        }

        Assert.InRange(taken, 2000, 2020);
    }

    [Fact]
    public void TryTake_AfterALongIdle_DoesNotSaveUpMoreThanOneBurst()
    {
        var throttle = new BacklogThrottle(200, _clock.GetUtcNow());
        TakeAll(throttle);
        _clock.Advance(TimeSpan.FromMinutes(10));

        Assert.Equal(20, TakeAll(throttle));
    }

    [Fact]
    public void NextTokenAt_WhenEmpty_IsOneTokenAhead()
    {
        var throttle = new BacklogThrottle(200, _clock.GetUtcNow());
        TakeAll(throttle);

        Assert.Equal(_clock.GetUtcNow() + TimeSpan.FromMilliseconds(5), throttle.NextTokenAt(_clock.GetUtcNow()));
        _clock.Advance(TimeSpan.FromMilliseconds(5));
        Assert.Equal(_clock.GetUtcNow(), throttle.NextTokenAt(_clock.GetUtcNow()));
    }

    [Fact]
    public void TryTake_SlowRate_StillAllowsOneAtATime()
    {
        var throttle = new BacklogThrottle(1, _clock.GetUtcNow());
        Assert.Equal(1, TakeAll(throttle));
        _clock.Advance(TimeSpan.FromMilliseconds(999));
        Assert.Equal(0, TakeAll(throttle));
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(1, TakeAll(throttle));
    }
}
