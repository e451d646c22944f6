using FacilityHub.Contracts.Live;
using FacilityHub.Dashboard.Components.Charts;

namespace FacilityHub.Dashboard.Tests.Components.Charts;

public sealed class SeriesPointsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 0, 0, 0, TimeSpan.FromHours(9));

    private static HistoryPoint P(int minute, double? v) => new(T0.AddMinutes(minute), v);

    [Fact]
    public void Runs_NullValues_BreakTheLine()
    {
        var runs = SeriesPoints.Runs([P(0, 1), P(1, 2), P(2, null), P(3, 4), P(4, null), P(5, null), P(6, 7), P(7, 8)]);

        Assert.Equal([2, 1, 2], runs.Select(r => r.Count));
    }

    [Fact]
    public void Runs_NonFiniteValue_IsAGap()
    {
        var runs = SeriesPoints.Runs([P(0, 1), P(1, double.NaN), P(2, 3)]);

        Assert.Equal(2, runs.Count);
    }

    [Fact]
    public void Prepare_MissingIntervals_BecomeAGap()
    {
        // The hub sends nothing for an interval without data: 10:03 and 10:04 are missing.
        var points = SeriesPoints.Prepare([P(0, 1), P(1, 2), P(2, 3), P(5, 6), P(6, 7)], T0, T0.AddHours(1), TimeSpan.FromMinutes(1));

        Assert.Equal([3, 2], SeriesPoints.Runs(points).Select(r => r.Count));
        Assert.Equal(T0.AddMinutes(3), Assert.Single(points, p => p.V is null).T);
    }

    [Fact]
    public void Prepare_NoInterval_JoinsAcrossMissingIntervals()
    {
        var points = SeriesPoints.Prepare([P(0, 1), P(5, 6)], T0, T0.AddHours(1), interval: null);

        Assert.Single(SeriesPoints.Runs(points));
    }

    [Fact]
    public void Prepare_PointsOutsideTheRangeOrUnordered_AreDroppedAndSorted()
    {
        var points = SeriesPoints.Prepare([P(3, 3), P(-5, 0), P(1, 1), P(90, 9)], T0, T0.AddHours(1), TimeSpan.FromMinutes(1));

        Assert.Equal([1.0, null, 3.0], points.Select(p => p.V));
    }
}
