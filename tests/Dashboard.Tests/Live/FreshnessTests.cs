using FacilityHub.Dashboard.Components;
using FacilityHub.Dashboard.Live;
using FacilityHub.Dashboard.Tests.Support;

namespace FacilityHub.Dashboard.Tests.Live;

public sealed class FreshnessTests
{
    private static readonly TimeSpan StaleAfter = TimeSpan.FromMinutes(5);

    [Fact]
    public void IsStale_ClockAdvancesToTheLimit_TurnsStaleExactlyThen()
    {
        var time = new ManualTimeProvider();
        var reportedAt = time.GetUtcNow();

        time.Advance(StaleAfter - TimeSpan.FromMilliseconds(1));
        Assert.False(Freshness.IsStale(reportedAt, time.GetUtcNow(), StaleAfter));

        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(Freshness.IsStale(reportedAt, time.GetUtcNow(), StaleAfter));
    }

    [Fact]
    public void Age_ReportAheadOfOurClock_IsZero()
    {
        var now = States.T0;

        Assert.Equal(TimeSpan.Zero, Freshness.Age(now.AddSeconds(30), now));
        Assert.False(Freshness.IsStale(now.AddSeconds(30), now, StaleAfter));
    }

    [Fact]
    public void Age_ReportInAnotherOffset_ComparesInstants()
    {
        var utc = new DateTimeOffset(2026, 11, 23, 1, 10, 0, TimeSpan.Zero);
        var jst = new DateTimeOffset(2026, 11, 23, 10, 15, 0, TimeSpan.FromHours(9));

        Assert.Equal(TimeSpan.FromMinutes(5), Freshness.Age(utc, jst));
    }

    [Theory]
    [InlineData(3, "たった今", "just now")]
    [InlineData(45, "45秒前", "45 s ago")]
    [InlineData(185, "3分前", "3 min ago")]
    [InlineData(7_300, "2時間前", "2 h ago")]
    [InlineData(200_000, "2日前", "2 d ago")]
    public void AgeText_Seconds_ReadNaturallyInBothLanguages(int seconds, string ja, string en)
    {
        var age = TimeSpan.FromSeconds(seconds);
        var text = Localizers.For<CommonText>();

        Assert.Equal(ja, Localizers.In("ja-JP", () => Freshness.AgeText(age, text)));
        Assert.Equal(en, Localizers.In("en", () => Freshness.AgeText(age, text)));
    }

    [Fact]
    public void JapanTime_UtcInstant_IsShownInJst()
    {
        Assert.Equal("2026-11-23 10:15:00 JST", Freshness.JapanTime(new DateTimeOffset(2026, 11, 23, 1, 15, 0, TimeSpan.Zero)));
    }
}
