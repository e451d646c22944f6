using FacilityHub.Dashboard.Components.Charts;

namespace FacilityHub.Dashboard.Tests.Components.Charts;

public sealed class TimeTicksTests
{
    private static readonly TimeSpan Jst = TimeSpan.FromHours(9);

    [Fact]
    public void For_OneHour_TicksOnRoundMinutesLabelledHourMinute()
    {
        var to = new DateTimeOffset(2026, 11, 23, 10, 17, 30, Jst);

        var ticks = TimeTicks.For(to.AddHours(-1), to, maxTicks: 8);

        Assert.Equal(["09:20", "09:30", "09:40", "09:50", "10:00", "10:10"], ticks.Select(t => t.Label));
    }

    [Fact]
    public void For_UtcRange_LabelsInJapanTime()
    {
        // 01:00–02:00 UTC is 10:00–11:00 in Hitachi, whatever the server's own zone.
        var from = new DateTimeOffset(2026, 11, 23, 1, 0, 0, TimeSpan.Zero);

        var ticks = TimeTicks.For(from, from.AddHours(1), maxTicks: 3);

        Assert.Equal(["10:00", "10:30", "11:00"], ticks.Select(t => t.Label));
        Assert.All(ticks, t => Assert.Equal(Jst, t.At.Offset));
    }

    [Fact]
    public void For_24Hours_TicksFromMidnight()
    {
        var to = new DateTimeOffset(2026, 11, 23, 10, 15, 0, Jst);

        var ticks = TimeTicks.For(to.AddHours(-24), to, maxTicks: 6);

        Assert.Equal(["12:00", "18:00", "00:00", "06:00"], ticks.Select(t => t.Label));
    }

    [Fact]
    public void For_SevenDays_TicksAtJapanMidnightLabelledMonthDay()
    {
        var to = new DateTimeOffset(2026, 11, 23, 10, 15, 0, Jst);

        var ticks = TimeTicks.For(to.AddDays(-7), to, maxTicks: 8);

        Assert.Equal(["11/17", "11/18", "11/19", "11/20", "11/21", "11/22", "11/23"], ticks.Select(t => t.Label));
        Assert.All(ticks, t => Assert.Equal(TimeSpan.Zero, t.At.TimeOfDay));
    }

    [Fact]
    public void For_SevenDaysFewTicks_TakesLongerSteps()
    {
        var to = new DateTimeOffset(2026, 11, 23, 10, 15, 0, Jst);

        var ticks = TimeTicks.For(to.AddDays(-7), to, maxTicks: 4);

        Assert.InRange(ticks.Count, 2, 4);
        Assert.Equal(TimeSpan.FromDays(2), ticks[1].At - ticks[0].At);
    }

    [Fact]
    public void For_SlidingRange_MultiDayTicksStayOnTheSameDays()
    {
        var to = new DateTimeOffset(2026, 11, 23, 10, 15, 0, Jst);

        var today = TimeTicks.For(to.AddDays(-7), to, maxTicks: 4).Select(t => t.At);
        var tomorrow = TimeTicks.For(to.AddDays(-6), to.AddDays(1), maxTicks: 4).Select(t => t.At);

        Assert.NotEmpty(today.Intersect(tomorrow));
    }

    [Theory]
    [InlineData(1, 2)]
    [InlineData(24, 3)]
    [InlineData(24 * 7, 5)]
    [InlineData(24 * 90, 6)]
    public void For_AnyRange_StaysWithinRangeAndLimit(int hours, int maxTicks)
    {
        var from = new DateTimeOffset(2026, 11, 23, 10, 15, 0, Jst);
        var to = from.AddHours(hours);

        var ticks = TimeTicks.For(from, to, maxTicks);

        Assert.NotEmpty(ticks);
        Assert.True(ticks.Count <= maxTicks, $"{ticks.Count} ticks");
        Assert.All(ticks, t => Assert.InRange(t.At, from, to));
        Assert.Equal(ticks.OrderBy(t => t.At), ticks);
    }

    [Fact]
    public void For_EmptyRange_HasNoTicks()
    {
        var t = new DateTimeOffset(2026, 11, 23, 10, 15, 0, Jst);

        Assert.Empty(TimeTicks.For(t, t, 5));
    }
}
