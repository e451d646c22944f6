using FacilityHub.Dashboard.History;

namespace FacilityHub.Dashboard.Tests.History;

public sealed class HistoryRangeTests
{
    [Theory]
    [InlineData("1h", 600, 1)]
    [InlineData("1h", 30, 2)]
    [InlineData("24h", 600, 3)]
    [InlineData("24h", 1440, 1)]
    [InlineData("24h", 1000, 2)]
    [InlineData("7d", 600, 17)]
    [InlineData("7d", 300, 34)]
    public void IntervalFor_Width_IsWholeMinutesAboutOnePerPixel(string code, int width, int minutes)
    {
        Assert.True(HistoryRange.TryParse(code, out var range));

        Assert.Equal(TimeSpan.FromMinutes(minutes), range.IntervalFor(width));
    }

    [Fact]
    public void IntervalFor_AnyPresetAndWidth_NeverMorePointsThanPixelsNorBelowAMinute()
    {
        foreach (var range in HistoryRange.Presets)
        {
            for (var width = 1; width <= 4000; width += 7)
            {
                var interval = range.IntervalFor(width);
                Assert.True(interval >= HistoryRange.MinInterval);
                Assert.Equal(0, interval.Ticks % TimeSpan.TicksPerMinute);
                Assert.True(interval == HistoryRange.MinInterval || range.Length / interval <= width, $"{range.Code} at {width}px: {interval}");
            }
        }
    }

    [Fact]
    public void IntervalFor_NoWidth_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => HistoryRange.Day.IntervalFor(0));
    }

    [Theory]
    [InlineData(60, "1m")]
    [InlineData(1020, "17m")]
    [InlineData(90, "90s")]
    [InlineData(3600, "60m")]
    public void ToQuery_Interval_IsWhatTheHubParses(int seconds, string expected)
    {
        Assert.Equal(expected, HistoryRange.ToQuery(TimeSpan.FromSeconds(seconds)));
    }

    [Fact]
    public void Presets_AreHourDayWeek()
    {
        Assert.Equal(["1h", "24h", "7d"], HistoryRange.Presets.Select(p => p.Code));
        Assert.Equal([TimeSpan.FromHours(1), TimeSpan.FromDays(1), TimeSpan.FromDays(7)], HistoryRange.Presets.Select(p => p.Length));
        Assert.False(HistoryRange.TryParse("2h", out _));
        Assert.False(HistoryRange.TryParse(null, out _));
    }
}
