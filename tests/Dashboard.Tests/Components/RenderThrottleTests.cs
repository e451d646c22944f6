using FacilityHub.Dashboard.Components;
using FacilityHub.Dashboard.Tests.Support;

namespace FacilityHub.Dashboard.Tests.Components;

public sealed class RenderThrottleTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    [Fact]
    public void Signal_AfterQuiet_RendersAtOnce()
    {
        var time = new ManualTimeProvider();
        var renders = 0;
        using var throttle = new RenderThrottle(time, Interval, () => renders++);

        throttle.Signal();

        Assert.Equal(1, renders);
    }

    [Fact]
    public void Signal_BurstWithinInterval_FoldsIntoOneTrailingRender()
    {
        var time = new ManualTimeProvider();
        var renders = 0;
        using var throttle = new RenderThrottle(time, Interval, () => renders++);

        throttle.Signal();
        for (var i = 0; i < 1_000; i++)
        {
            throttle.Signal();
        }
        Assert.Equal(1, renders);

        time.Advance(Interval - TimeSpan.FromMilliseconds(1));
        Assert.Equal(1, renders);

        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(2, renders);

        time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(2, renders);
    }

    [Fact]
    public void Signal_SteadyStream_RendersAtMostOncePerInterval()
    {
        var time = new ManualTimeProvider();
        var renders = 0;
        using var throttle = new RenderThrottle(time, Interval, () => renders++);

        // A push every 10 ms for 2 s: 200 signals.
        for (var i = 0; i < 200; i++)
        {
            throttle.Signal();
            time.Advance(TimeSpan.FromMilliseconds(10));
        }

        Assert.InRange(renders, 8, 9);
    }

    [Fact]
    public void Dispose_WithRenderPending_NeverRenders()
    {
        var time = new ManualTimeProvider();
        var renders = 0;
        var throttle = new RenderThrottle(time, Interval, () => renders++);
        throttle.Signal();
        throttle.Signal();

        throttle.Dispose();
        time.Advance(TimeSpan.FromSeconds(1));
        throttle.Signal();

        Assert.Equal(1, renders);
        Assert.Equal(0, time.ActiveTimers);
    }
}
