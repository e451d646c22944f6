using FacilityHub.Contracts.Live;
using FacilityHub.Dashboard.Shelters;
using FacilityHub.Dashboard.Tests.Support;
using static FacilityHub.Dashboard.Tests.Support.States;

namespace FacilityHub.Dashboard.Tests.Shelters;

public sealed class ShelterTrendTests
{
    private static readonly DateTimeOffset From = T0.AddHours(-3);

    [Fact]
    public void FromHistory_NoValues_IsNull()
    {
        Assert.Null(ShelterTrend.FromHistory(null));
        Assert.Null(ShelterTrend.FromHistory(Response([])));
        Assert.Null(ShelterTrend.FromHistory(Response([new HistoryPoint(T0, null)])));
    }

    [Fact]
    public void Change_QuarterHourPoints_ComparesWithOneHourBeforeTheLast()
    {
        // 12 intervals of 15 min; the last hour went 100 → 135.
        var points = Enumerable.Range(0, 12).Select(i => new HistoryPoint(From.AddMinutes(15 * i), i < 7 ? 80 + i : 100 + (i - 7) * 35.0 / 4)).ToList();

        var change = ShelterTrend.FromHistory(Response(points))!.Change!;

        Assert.Equal(35, change.Delta);
        Assert.Equal(TimeSpan.FromHours(1), change.Over);
        Assert.Equal(TrendDirection.Up, change.Direction);
        Assert.Equal("↑", change.Arrow);
        Assert.Equal("+35 in 1 h", Localizers.In("en", () => change.Describe(Localizers.For<ShelterText>())));
        Assert.Equal("+35（1時間）", Localizers.In("ja-JP", () => change.Describe(Localizers.For<ShelterText>())));
    }

    [Fact]
    public void Change_ShorterHistory_SaysHowLongItCovers()
    {
        var change = ShelterTrend.FromHistory(Response([new HistoryPoint(T0.AddMinutes(-30), 50), new HistoryPoint(T0, 38)]))!.Change!;

        Assert.Equal(-12, change.Delta);
        Assert.Equal(TrendDirection.Down, change.Direction);
        Assert.Equal("-12 in 30 min", Localizers.In("en", () => change.Describe(Localizers.For<ShelterText>())));
    }

    [Fact]
    public void Change_SinglePoint_IsNull()
    {
        Assert.Null(ShelterTrend.FromHistory(Response([new HistoryPoint(T0, 50)]))!.Change);
    }

    [Fact]
    public void SparkPoints_SpanTheRangeAndTheHeight()
    {
        var trend = ShelterTrend.FromHistory(Response([new HistoryPoint(From, 0), new HistoryPoint(From.AddHours(1.5), 50), new HistoryPoint(T0, 100)]))!;

        Assert.Equal("0,19 30,10 60,1", trend.SparkPoints(60, 20));
    }

    [Fact]
    public void SparkPoints_SmallChange_IsNotBlownUp()
    {
        var trend = ShelterTrend.FromHistory(Response([new HistoryPoint(From, 100), new HistoryPoint(T0, 101)]))!;

        // 100 → 101 on a scale of at least 10 people: a gentle slope around the middle, not corner to corner.
        Assert.Equal("0,10.9 60,9.1", trend.SparkPoints(60, 20));
    }

    private static HistoryResponse Response(IReadOnlyList<HistoryPoint> points) =>
        new("shl-a", "shelter", "last", TimeSpan.FromMinutes(15), From, T0, [new HistorySeries(ShelterTrend.Field, points)]);
}
