using FacilityHub.Dashboard.Components.Charts;
using FsCheck;
using FsCheck.Fluent;

namespace FacilityHub.Dashboard.Tests.Components.Charts;

public sealed class ChartScaleTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(1.3, 1)]
    [InlineData(1.5, 2)]
    [InlineData(3, 2)]
    [InlineData(3.3, 5)]
    [InlineData(7, 5)]
    [InlineData(7.1, 10)]
    [InlineData(0.021, 0.02)]
    [InlineData(20.4, 20)]
    [InlineData(2500, 2000)]
    public void NiceStep_Rough_IsNearestOneTwoFiveTimesPowerOfTen(double rough, double nice)
    {
        Assert.Equal(nice, ChartScale.NiceStep(rough), 12);
    }

    [Fact]
    public void For_ZeroToHundred_TicksEveryTwenty()
    {
        var scale = ChartScale.For([0, 37.5, 100]);

        Assert.Equal([0, 20, 40, 60, 80, 100], scale.Ticks);
        Assert.Equal("40", scale.Format(40));
    }

    [Fact]
    public void For_Temperatures_RoundsOutwardToWholeSteps()
    {
        var scale = ChartScale.For([11.3, 12.4, 14.2]);

        Assert.Equal(0.5, scale.Step);
        Assert.Equal(11, scale.Min);
        Assert.Equal(14.5, scale.Max);
        Assert.Equal("14.5", scale.Format(14.5));
    }

    [Fact]
    public void For_SmallSpan_LabelsWithTheStepsDecimals()
    {
        var scale = ChartScale.For([1013.2, 1013.9]);

        Assert.Equal(0.1, scale.Step, 12);
        Assert.Equal(1, scale.Decimals);
        Assert.Equal("1013.2", scale.Format(scale.Min));
        // No 1013.3000000000001 from adding 0.1 seven times.
        Assert.All(scale.Ticks, t => Assert.Equal(Math.Round(t, 1), t));
    }

    [Fact]
    public void For_NegativeValues_EnclosesThemBelowZero()
    {
        var scale = ChartScale.For([-92, -71.5, -80]);

        Assert.True(scale.Min <= -92 && scale.Max >= -71.5);
        Assert.True(scale.Max <= 0);
        Assert.Equal("-80", scale.Format(-80));
    }

    [Fact]
    public void For_CrossingZero_HasAZeroTick()
    {
        var scale = ChartScale.For([-3.2, 4.1]);

        Assert.Contains(0.0, scale.Ticks);
    }

    [Fact]
    public void For_FlatSeries_PutsTheLineInsideNotOnTheFrame()
    {
        var scale = ChartScale.For([12.4, 12.4, 12.4]);

        Assert.True(scale.Min < 12.4 && scale.Max > 12.4);
        Assert.InRange(scale.Fraction(12.4), 0.2, 0.8);
    }

    [Fact]
    public void For_FlatZero_ScalesZeroToOne()
    {
        var scale = ChartScale.For([0, 0]);

        Assert.Equal(0, scale.Min);
        Assert.Equal(1, scale.Max);
    }

    [Fact]
    public void For_FlatPositive_KeepsTheZeroBaseline()
    {
        var scale = ChartScale.For([0.5]);

        Assert.True(scale.Min >= 0);
    }

    [Fact]
    public void For_AllNullOrNonFinite_ScalesZeroToOne()
    {
        var scale = ChartScale.For([null, double.NaN, double.PositiveInfinity, null]);

        Assert.Equal(0, scale.Min);
        Assert.Equal(1, scale.Max);
        Assert.True(scale.Ticks.Count >= 2);
    }

    [Fact]
    public void For_NoValues_ScalesZeroToOne()
    {
        var scale = ChartScale.For([]);

        Assert.Equal((0.0, 1.0), (scale.Min, scale.Max));
    }

    [Fact]
    public void For_NullsAmongValues_IgnoresThem()
    {
        Assert.Equal(ChartScale.For([3, 9]).Ticks, ChartScale.For([3, null, 9, null]).Ticks);
    }

    [Fact]
    public void For_AnyValues_TicksAreNiceEvenlySpacedAndEncloseTheData()
    {
        var values = Gen.ArrayOf(Gen.Choose(-2_000_000, 2_000_000).Select(i => (double?)(i / 100.0)))
            .Where(a => a.Length > 0);
        var ticks = Gen.Choose(2, 12);
        Prop.ForAll(Arb.From(values), Arb.From(ticks), (data, count) =>
        {
            var scale = ChartScale.For(data, count);
            var lo = data.Min()!.Value;
            var hi = data.Max()!.Value;

            Assert.True(scale.Min <= lo && scale.Max >= hi, $"[{scale.Min}, {scale.Max}] does not enclose [{lo}, {hi}]");
            Assert.InRange(scale.Ticks.Count, 2, 2 * count + 3);
            Assert.Equal(scale.Min, scale.Ticks[0]);
            Assert.Equal(scale.Max, scale.Ticks[^1]);
            for (var i = 1; i < scale.Ticks.Count; i++)
            {
                Assert.Equal(scale.Step, scale.Ticks[i] - scale.Ticks[i - 1], 6);
            }
            var mantissa = scale.Step / Math.Pow(10, Math.Floor(Math.Log10(scale.Step)));
            Assert.Contains(Math.Round(mantissa, 9), new[] { 1.0, 2.0, 5.0 });
            if (lo >= 0)
            {
                Assert.True(scale.Min >= 0, $"{scale.Min} below a non-negative series");
            }
        }).QuickCheckThrowOnFailure();
    }
}
