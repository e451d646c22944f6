using FacilityHub.Contracts.Live;
using FacilityHub.Dashboard.Components.Charts;
using FsCheck;
using FsCheck.Fluent;

namespace FacilityHub.Dashboard.Tests.Components.Charts;

public sealed class DownsampleTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 0, 0, 0, TimeSpan.FromHours(9));

    private static List<HistoryPoint> Series(params double?[] values) =>
        [.. values.Select((v, i) => new HistoryPoint(T0.AddMinutes(i), v))];

    [Fact]
    public void MinMax_FewPoints_ReturnsThemUnchanged()
    {
        var points = Series(1, 2, 3, 4);

        Assert.Same(points, Downsample.MinMax(points, buckets: 2));
    }

    [Fact]
    public void MinMax_OneSpike_SurvivesAmongThousands()
    {
        var values = Enumerable.Repeat<double?>(10, 10_000).ToArray();
        values[6_543] = 250;
        values[1_234] = -40;

        var thinned = Downsample.MinMax(Series(values), buckets: 100);

        Assert.True(thinned.Count <= 200);
        Assert.Contains(thinned, p => p.V == 250 && p.T == T0.AddMinutes(6_543));
        Assert.Contains(thinned, p => p.V == -40);
    }

    [Fact]
    public void MinMax_GapInsideABucket_KeepsAGapPoint()
    {
        var values = Enumerable.Range(0, 1_000).Select(i => (double?)i).ToArray();
        values[500] = null;

        var thinned = Downsample.MinMax(Series(values), buckets: 10);

        var gap = Assert.Single(thinned, p => p.V is null);
        Assert.Equal(T0.AddMinutes(500), gap.T);
        Assert.Equal(2, SeriesPoints.Runs(thinned).Count);
    }

    [Fact]
    public void MinMax_AnySeries_IsAnOrderedSubsetKeepingExtremesAndGaps()
    {
        var value = Gen.Frequency(
            (9, Gen.Choose(-1000, 1000).Select(i => (double?)i)),
            (1, Gen.Constant<double?>(null)));
        var series = Gen.ArrayOf(value);
        Prop.ForAll(Arb.From(series), Arb.From(Gen.Choose(1, 50)), (values, buckets) =>
        {
            var points = Series(values);
            var thinned = Downsample.MinMax(points, buckets);

            Assert.True(thinned.Count <= Math.Max(points.Count <= 2 * buckets ? points.Count : 0, 3 * buckets));
            Assert.Equal(thinned.OrderBy(p => p.T), thinned);
            Assert.All(thinned, p => Assert.Contains(p, points));
            var drawn = values.Where(v => v is not null).ToList();
            if (drawn.Count > 0)
            {
                Assert.Equal(drawn.Max(), thinned.Max(p => p.V));
                Assert.Equal(drawn.Min(), thinned.Where(p => p.V is not null).Min(p => p.V));
            }
            Assert.Equal(values.Contains(null), thinned.Any(p => p.V is null));
        }).QuickCheckThrowOnFailure();
    }
}
