using FacilityHub.Edge.Simulation;
using FacilityHub.Edge.Tests.Support;

namespace FacilityHub.Edge.Tests.Simulation;

public sealed class SimulatedClockTests
{
    private readonly ManualClock _real = new(new DateTimeOffset(2026, 11, 23, 1, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Now_NoStartAt_IsRealTime()
    {
        var clock = new SimulatedClock(_real, null, 60);
        _real.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal(_real.GetUtcNow(), clock.Now);
        Assert.True(clock.CaughtUp);
    }

    [Fact]
    public void Now_TwoHoursBackAtSpeed60_RunsAMinuteASecondThenKeepsToRealTime()
    {
        var start = _real.GetUtcNow();
        var clock = new SimulatedClock(_real, start - TimeSpan.FromHours(2), 60);

        _real.Advance(TimeSpan.FromSeconds(60));
        Assert.Equal(start - TimeSpan.FromHours(1), clock.Now);
        Assert.False(clock.CaughtUp);

        // Catches up when 60·t = 2 h + t, at t ≈ 122 s; from then on it is real time, never ahead.
        _real.Advance(TimeSpan.FromSeconds(70));
        Assert.Equal(_real.GetUtcNow(), clock.Now);
        Assert.True(clock.CaughtUp);
        _real.Advance(TimeSpan.FromHours(1));
        Assert.Equal(_real.GetUtcNow(), clock.Now);
    }

    [Fact]
    public void Now_StartAtInTheFuture_IsRealTime()
    {
        var clock = new SimulatedClock(_real, _real.GetUtcNow() + TimeSpan.FromHours(1), 2);

        Assert.Equal(_real.GetUtcNow(), clock.Now);
    }

    [Fact]
    public void RealTimeAt_WhileBehind_IsWhenTheFastClockGetsThere()
    {
        var start = _real.GetUtcNow();
        var clock = new SimulatedClock(_real, start - TimeSpan.FromHours(2), 60);

        Assert.Equal(start + TimeSpan.FromSeconds(10), clock.RealTimeAt(start - TimeSpan.FromHours(2) + TimeSpan.FromMinutes(10)));
    }

    [Fact]
    public void RealTimeAt_AMomentPastCatchUp_IsThatMoment()
    {
        var start = _real.GetUtcNow();
        var clock = new SimulatedClock(_real, start - TimeSpan.FromMinutes(1), 60);
        var later = start + TimeSpan.FromMinutes(5);

        Assert.Equal(later, clock.RealTimeAt(later));
    }

    [Fact]
    public void RealTimeAt_RoundTripsThroughNow()
    {
        var start = _real.GetUtcNow();
        var clock = new SimulatedClock(_real, start - TimeSpan.FromHours(3), 100);
        var target = start - TimeSpan.FromHours(1);

        _real.Advance(clock.RealTimeAt(target) - _real.GetUtcNow());

        Assert.Equal(target, clock.Now);
    }
}
