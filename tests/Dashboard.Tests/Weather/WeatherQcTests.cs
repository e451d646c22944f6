using FacilityHub.Contracts.Live;
using FacilityHub.Contracts.Messages;
using FacilityHub.Contracts.Quality;
using FacilityHub.Dashboard.Tests.Support;
using FacilityHub.Dashboard.Weather;
using static FacilityHub.Dashboard.Tests.Support.States;

namespace FacilityHub.Dashboard.Tests.Weather;

public sealed class WeatherQcTests
{
    private static readonly TimeSpan Step = TimeSpan.FromMinutes(5);

    [Theory]
    [InlineData(QualityFlag.Ok, false, false)]
    [InlineData(QualityFlag.Missing, true, false)]
    [InlineData(QualityFlag.Stuck, true, true)]
    [InlineData(QualityFlag.Jump, true, true)]
    [InlineData(QualityFlag.OutOfRange, true, true)]
    public void Flag_Marked_OnlyWhenNotOk_DoubtfulOnlyWhenThere(QualityFlag flag, bool marked, bool doubtful)
    {
        Assert.Equal(marked, WeatherQc.IsMarked(flag));
        Assert.Equal(doubtful, WeatherQc.IsDoubtful(flag));
    }

    [Fact]
    public void Code_EveryFlag_IsItsWireName()
    {
        foreach (var flag in Enum.GetValues<QualityFlag>())
        {
            var wire = System.Text.Json.JsonSerializer.Serialize(flag).Trim('"');
            Assert.Equal(wire, WeatherQc.Code(flag));
        }
    }

    [Fact]
    public void Shown_EveryMarkedFlag_HasABadgeAndAnExplanationInBothLanguages()
    {
        var text = Localizers.For<WeatherText>();
        Assert.Equal(Enum.GetValues<QualityFlag>().Where(WeatherQc.IsMarked).Order(), WeatherQc.Shown.Order());
        foreach (var culture in new[] { "ja-JP", "en" })
        {
            foreach (var flag in WeatherQc.Shown)
            {
                var code = WeatherQc.Code(flag);
                Assert.Equal("found", Localizers.In(culture, () => Found(text[$"Qc_{code}"])));
                Assert.Equal("found", Localizers.In(culture, () => Found(text[$"QcHelp_{code}"])));
            }
        }
        Assert.Equal("急変", Localizers.In("ja-JP", () => text["Qc_jump"]));
        Assert.Equal("jump", Localizers.In("en", () => text["Qc_jump"]));
    }

    [Fact]
    public void ElementCode_EveryElement_IsDistinctAndKeepsTheTemperatureTestId()
    {
        var codes = WeatherElements.All.Select(WeatherQc.ElementCode).ToList();

        Assert.Equal(codes.Count, codes.Distinct().Count());
        Assert.Equal("temp", WeatherQc.ElementCode(WeatherElement.TemperatureC));
    }

    [Fact]
    public void Of_NoVerdict_IsOk()
    {
        Assert.Equal(QualityFlag.Ok, WeatherQc.Of(null, WeatherElement.TemperatureC));
        Assert.Equal(QualityFlag.Jump, WeatherQc.Of(Quality(temperature: QualityFlag.Jump), WeatherElement.TemperatureC));
    }

    [Fact]
    public void Trusted_DoubtfulValues_AreLeftOutOkAndMissingKept()
    {
        var o = new WeatherObservation(T0, TemperatureC: 30, HumidityPct: 60, Rain10mMm: 12, Rain1hMm: 20, WindSpeedMs: 2);
        var q = Quality(temperature: QualityFlag.Jump, rain10m: QualityFlag.OutOfRange, rain1h: QualityFlag.Stuck, humidity: QualityFlag.Missing);

        var trusted = WeatherQc.Trusted(o, q);

        Assert.Null(trusted.TemperatureC);
        Assert.Null(trusted.Rain10mMm);
        Assert.Null(trusted.Rain1hMm);
        Assert.Equal(60, trusted.HumidityPct);
        Assert.Equal(2, trusted.WindSpeedMs);
        Assert.Equal(T0, trusted.Ts);
    }

    [Fact]
    public void Trusted_ASpikeInTheRainGauge_DoesNotMakeTheIconHeavyRain()
    {
        var o = new WeatherObservation(T0, HumidityPct: 50, WindSpeedMs: 2, Rain10mMm: 45, Rain1hMm: 45);
        var q = Quality(rain10m: QualityFlag.OutOfRange, rain1h: QualityFlag.Jump);

        Assert.Equal(WeatherCondition.HeavyRain, WeatherIcon.Derive(o));
        Assert.NotEqual(WeatherCondition.HeavyRain, WeatherIcon.Derive(WeatherQc.Trusted(o, q)));
    }

    [Fact]
    public void Trusted_NoVerdict_IsTheObservation()
    {
        var o = new WeatherObservation(T0, TemperatureC: 30);

        Assert.Same(o, WeatherQc.Trusted(o, null));
    }

    [Fact]
    public void Intervals_NeighbouringPointsWithOneFlag_MakeOneIntervalToTheEndOfTheLastBucket()
    {
        var points = new[]
        {
            Point(0, 10), Point(1, 11, QualityFlag.Jump), Point(2, 30, QualityFlag.Jump), Point(3, 12),
            Point(4, 12, QualityFlag.Stuck), Point(5, 12, QualityFlag.Ok),
        };

        var intervals = WeatherQc.Intervals(points, Step);

        Assert.Equal(
            [new FlaggedInterval(At(1), At(3), QualityFlag.Jump), new FlaggedInterval(At(4), At(5), QualityFlag.Stuck)],
            intervals);
    }

    [Fact]
    public void Intervals_GapsWithoutValues_DoNotSplitAStuckSensor()
    {
        var points = new[]
        {
            Point(0, 10, QualityFlag.Stuck), new HistoryPoint(At(1), null, QualityFlag.Missing), Point(2, 10, QualityFlag.Stuck),
            Point(5, 10, QualityFlag.Stuck),
        };

        Assert.Equal([new FlaggedInterval(At(0), At(6), QualityFlag.Stuck)], WeatherQc.Intervals(points, Step));
    }

    [Fact]
    public void Intervals_MissingPoints_AreNotListed()
    {
        var points = new[]
        {
            new HistoryPoint(At(0), null, QualityFlag.Missing), Point(1, 5, QualityFlag.Jump), Point(2, 5),
            new HistoryPoint(At(3), null, QualityFlag.Missing),
        };

        Assert.Equal([new FlaggedInterval(At(1), At(2), QualityFlag.Jump)], WeatherQc.Intervals(points, Step));
    }

    [Fact]
    public void Intervals_NoFlags_IsEmpty()
    {
        Assert.Empty(WeatherQc.Intervals([Point(0, 1), Point(1, 2, QualityFlag.Ok)], Step));
        Assert.Empty(WeatherQc.Intervals([], Step));
    }

    [Fact]
    public void Intervals_PointsOutOfOrder_AreSortedFirst()
    {
        var points = new[] { Point(2, 1, QualityFlag.Jump), Point(1, 1, QualityFlag.Jump) };

        Assert.Equal([new FlaggedInterval(At(1), At(3), QualityFlag.Jump)], WeatherQc.Intervals(points, Step));
    }

    private static string Found(Microsoft.Extensions.Localization.LocalizedString s) => s.ResourceNotFound ? "not found: " + s.Name : "found";

    private static DateTimeOffset At(int step) => T0 + (Step * step);

    private static HistoryPoint Point(int step, double v, QualityFlag? q = null) => new(At(step), v, q);

    private static WeatherQuality Quality(
        QualityFlag temperature = QualityFlag.Ok, QualityFlag humidity = QualityFlag.Ok,
        QualityFlag rain10m = QualityFlag.Ok, QualityFlag rain1h = QualityFlag.Ok) =>
        new(temperature, humidity, QualityFlag.Ok, QualityFlag.Ok, QualityFlag.Ok, QualityFlag.Ok, rain10m, rain1h, QualityFlag.Ok);
}
