using FacilityHub.Contracts.Messages;
using FacilityHub.Contracts.Quality;
using FacilityHub.Hub.Quality;
using FsCheck;
using FsCheck.Fluent;

namespace FacilityHub.Hub.Tests.Quality;

/// <summary>Each flag by example at its boundary, replay order, and properties over generated series.</summary>
public sealed class WeatherQualityCheckerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 10, 0, 0, TimeSpan.FromHours(9));

    private readonly WeatherQualityChecker _checker = new(WeatherQualityRules.Default);

    /// <summary>A full, plausible, windy observation with the temperature under test.</summary>
    private static WeatherObservation Obs(TimeSpan at, double? temperatureC = 12.4, double? humidityPct = 65, double? pressureHpa = 1012.3,
        double? windSpeedMs = 3.2, double? windDirDeg = 225, double? gustMs = 6.1, double? rain10mMm = 0, double? rain1hMm = 0, double? rain24hMm = 0) =>
        new(T0 + at, TemperatureC: temperatureC, HumidityPct: humidityPct, PressureHpa: pressureHpa, WindSpeedMs: windSpeedMs,
            WindDirDeg: windDirDeg, GustMs: gustMs, Rain10mMm: rain10mMm, Rain1hMm: rain1hMm, Rain24hMm: rain24hMm);

    private static TimeSpan Min(double minutes) => TimeSpan.FromMinutes(minutes);

    // Every other element varies a little with i, so only the element under test can be stuck.
    private static WeatherObservation Varying(int i, double? temperatureC = null, double? humidityPct = null, double? pressureHpa = null,
        double? windSpeedMs = null, double? windDirDeg = null, double? gustMs = null, double? rain10mMm = 0) =>
        Obs(Min(10 * i),
            temperatureC ?? 12 + (0.1 * (i % 5)), humidityPct ?? 60 + (i % 5), pressureHpa ?? 1012 + (0.1 * (i % 5)),
            windSpeedMs ?? 3 + (0.1 * (i % 5)), windDirDeg ?? 200 + (i % 5), gustMs ?? 6 + (0.1 * (i % 5)), rain10mMm);

    [Fact]
    public void Check_PlausibleObservation_AllOk() =>
        Assert.Same(WeatherQuality.AllOk, _checker.Check(Obs(TimeSpan.Zero)));

    [Fact]
    public void Check_AbsentElements_Missing()
    {
        var q = _checker.Check(new WeatherObservation(T0, TemperatureC: 12.4, PressureHpa: 1012.3));
        Assert.Equal(QualityFlag.Ok, q.TemperatureC);
        Assert.Equal(QualityFlag.Ok, q.PressureHpa);
        Assert.Equal(QualityFlag.Missing, q.HumidityPct);
        Assert.Equal(QualityFlag.Missing, q.Of(WeatherElement.Rain24hMm));
    }

    [Theory]
    [InlineData(-25.0, QualityFlag.Ok)]
    [InlineData(-25.1, QualityFlag.OutOfRange)]
    [InlineData(42.0, QualityFlag.Ok)]
    [InlineData(42.1, QualityFlag.OutOfRange)]
    public void Check_TemperatureAtRangeBoundary_FlaggedOnlyBeyondIt(double temperatureC, QualityFlag expected) =>
        Assert.Equal(expected, _checker.Check(Obs(TimeSpan.Zero, temperatureC)).TemperatureC);

    [Theory]
    [InlineData(WeatherElement.HumidityPct, 4.9)]
    [InlineData(WeatherElement.PressureHpa, 939.9)]
    [InlineData(WeatherElement.PressureHpa, 1050.1)]
    [InlineData(WeatherElement.GustMs, 70.1)]
    [InlineData(WeatherElement.Rain10mMm, 50.5)]
    [InlineData(WeatherElement.Rain1hMm, 150.5)]
    [InlineData(WeatherElement.Rain24hMm, 800.5)]
    public void Check_ImplausibleForTheCity_OutOfRange(WeatherElement element, double value)
    {
        var o = element switch
        {
            WeatherElement.HumidityPct => Obs(TimeSpan.Zero, humidityPct: value),
            WeatherElement.PressureHpa => Obs(TimeSpan.Zero, pressureHpa: value),
            WeatherElement.GustMs => Obs(TimeSpan.Zero, gustMs: value),
            WeatherElement.Rain10mMm => Obs(TimeSpan.Zero, rain10mMm: value),
            WeatherElement.Rain1hMm => Obs(TimeSpan.Zero, rain1hMm: value),
            _ => Obs(TimeSpan.Zero, rain24hMm: value),
        };
        var q = _checker.Check(o);
        Assert.Equal(QualityFlag.OutOfRange, q.Of(element));
        Assert.All(WeatherElements.All.Where(e => e != element), e => Assert.Equal(QualityFlag.Ok, q.Of(e)));
    }

    [Theory]
    [InlineData(10, 4.0, QualityFlag.Ok)]
    [InlineData(10, 4.1, QualityFlag.Jump)]
    [InlineData(1, 4.0, QualityFlag.Ok)] // a short gap keeps the full allowance
    [InlineData(40, 8.0, QualityFlag.Ok)] // 40 min: 4 °C × √4
    [InlineData(40, 8.1, QualityFlag.Jump)]
    [InlineData(60, 9.7, QualityFlag.Ok)] // the longest gap still checked: 4 × √6 ≈ 9.8
    [InlineData(61, 20.0, QualityFlag.Ok)] // beyond MaxGap nothing is compared
    public void Check_TemperatureChange_JumpOnlyBeyondScaledStep(double gapMinutes, double change, QualityFlag expected)
    {
        _checker.Check(Obs(TimeSpan.Zero, 10));
        Assert.Equal(expected, _checker.Check(Obs(Min(gapMinutes), 10 + change)).TemperatureC);
    }

    [Fact]
    public void Check_PressureAndHumidityJumps_UseTheirOwnSteps()
    {
        _checker.Check(Obs(TimeSpan.Zero, humidityPct: 50, pressureHpa: 1010));
        var q = _checker.Check(Obs(Min(10), humidityPct: 81, pressureHpa: 1013.1));
        Assert.Equal((QualityFlag.Jump, QualityFlag.Jump, QualityFlag.Ok), (q.HumidityPct, q.PressureHpa, q.TemperatureC));
    }

    [Fact]
    public void Check_SpikeAndBack_BothEdgesFlaggedThenOk()
    {
        _checker.Check(Obs(TimeSpan.Zero, 10));
        Assert.Equal(QualityFlag.Jump, _checker.Check(Obs(Min(10), 20)).TemperatureC);
        Assert.Equal(QualityFlag.Jump, _checker.Check(Obs(Min(20), 10)).TemperatureC);
        Assert.Equal(QualityFlag.Ok, _checker.Check(Obs(Min(30), 10.5)).TemperatureC);
    }

    [Fact]
    public void Check_OutOfRangeAndAJump_OutOfRangeWinsAndIsNoReference()
    {
        _checker.Check(Obs(TimeSpan.Zero, 10));
        Assert.Equal(QualityFlag.OutOfRange, _checker.Check(Obs(Min(10), 45)).TemperatureC);
        // Compared with 10 (the last plausible value), not with 45.
        Assert.Equal(QualityFlag.Ok, _checker.Check(Obs(Min(20), 11)).TemperatureC);
    }

    [Fact]
    public void Check_TemperatureConstant_StuckOnlyAfterSixHours()
    {
        for (var i = 0; i <= 36; i++)
        {
            // 36 × 10 min = exactly 6 h at one value: not yet longer than StuckAfter.
            Assert.Equal(QualityFlag.Ok, _checker.Check(Varying(i, temperatureC: 15)).TemperatureC);
        }
        var q = _checker.Check(Varying(37, temperatureC: 15));
        Assert.Equal(QualityFlag.Stuck, q.TemperatureC);
        Assert.Equal(QualityFlag.Ok, q.PressureHpa);
        Assert.Equal(QualityFlag.Ok, _checker.Check(Varying(38, temperatureC: 15.1)).TemperatureC);
    }

    [Fact]
    public void Check_ValueWithinTolerance_CountsAsTheSame()
    {
        for (var i = 0; i <= 36; i++)
        {
            _checker.Check(Varying(i, temperatureC: 15 + (i % 2 * 0.0005)));
        }
        Assert.Equal(QualityFlag.Stuck, _checker.Check(Varying(37, temperatureC: 15.0005)).TemperatureC);
    }

    [Fact]
    public void Check_WindBlowingAtOneSpeed_StuckAfterTwoHours()
    {
        var flags = Enumerable.Range(0, 14).Select(i => _checker.Check(Varying(i, windSpeedMs: 4.2)).WindSpeedMs).ToList();
        Assert.All(flags[..13], f => Assert.Equal(QualityFlag.Ok, f));
        Assert.Equal(QualityFlag.Stuck, flags[13]);
    }

    [Fact]
    public void Check_LegitimatelyConstantValuesForADay_NeverStuck()
    {
        // A still, foggy, dry day: calm (0 m/s, no gust), the vane resting at 0, 100 % humidity, no rain.
        for (var i = 0; i < 6 * 24; i++)
        {
            var q = _checker.Check(Varying(i, humidityPct: 100, windSpeedMs: 0, windDirDeg: 0, gustMs: 0, rain10mMm: 0));
            Assert.Equal(WeatherQuality.AllOk, q);
        }
    }

    [Fact]
    public void Check_VaneAtOneAngleThroughACalmNight_OnlyWindyTimeCounts()
    {
        for (var i = 0; i < 36; i++)
        {
            _checker.Check(Varying(i, windSpeedMs: 0.1, windDirDeg: 225));
        }
        // The wind picks up and the vane has not moved: the calm hours do not count towards stuck.
        Assert.Equal(QualityFlag.Ok, _checker.Check(Varying(36, windSpeedMs: 3, windDirDeg: 225)).WindDirDeg);
        for (var i = 37; i <= 72; i++)
        {
            _checker.Check(Varying(i, windDirDeg: 225));
        }
        Assert.Equal(QualityFlag.Stuck, _checker.Check(Varying(73, windDirDeg: 225)).WindDirDeg);
    }

    [Fact]
    public void Check_GapLongerThanMaxGap_RestartsTheStuckRun()
    {
        for (var i = 0; i <= 30; i++)
        {
            _checker.Check(Varying(i, temperatureC: 15));
        }
        // Two hours without the element: nobody saw it stay at 15.
        for (var i = 31; i < 43; i++)
        {
            _checker.Check(Varying(i) with { TemperatureC = null });
        }
        for (var i = 43; i <= 43 + 36; i++)
        {
            Assert.Equal(QualityFlag.Ok, _checker.Check(Varying(i, temperatureC: 15)).TemperatureC);
        }
    }

    [Fact]
    public void Check_ReplayedOlderObservation_RangeAndMissingOnlyAndStateUntouched()
    {
        _checker.Check(Obs(TimeSpan.Zero, 10));
        _checker.Check(Obs(Min(20), 10.5));
        // Far from its neighbours, but a replay is not compared with anything.
        var replayed = _checker.Check(Obs(Min(10), 30, humidityPct: null, pressureHpa: 1060));
        Assert.Equal((QualityFlag.Ok, QualityFlag.Missing, QualityFlag.OutOfRange), (replayed.TemperatureC, replayed.HumidityPct, replayed.PressureHpa));
        // The next live value is compared with 10.5, not with the replayed 30.
        Assert.Equal(QualityFlag.Ok, _checker.Check(Obs(Min(30), 11)).TemperatureC);
    }

    [Fact]
    public void Check_ReplayOfAStuckRun_NotStuck()
    {
        for (var i = 0; i <= 40; i++)
        {
            _checker.Check(Varying(i, temperatureC: 15));
        }
        Assert.Equal(QualityFlag.Ok, _checker.Check(Varying(20, temperatureC: 15) with { Ts = T0 + Min(205) }).TemperatureC);
    }

    [Fact]
    public void Check_SameObservationResent_SameVerdict()
    {
        _checker.Check(Obs(TimeSpan.Zero, 10));
        var first = _checker.Check(Obs(Min(10), 20));
        Assert.Equal(QualityFlag.Jump, first.TemperatureC);
        Assert.Same(first, _checker.Check(Obs(Min(10), 20)));
        Assert.Equal(QualityFlag.Jump, _checker.Check(Obs(Min(20), 10)).TemperatureC);
    }

    [Fact]
    public void Check_SteadyStationWithAMissingSensor_AllocatesNothingPerObservation()
    {
        var series = Enumerable.Range(0, 2000).Select(i => Varying(i) with { HumidityPct = null }).ToArray();
        for (var i = 0; i < 1000; i++)
        {
            _checker.Check(series[i]); // warm up: the first verdict is allocated once
        }
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 1000; i < series.Length; i++)
        {
            _checker.Check(series[i]);
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    // ---- properties: a fixed seed, so a failure reproduces and a pass stays a pass ----

    private static readonly Config Property = Config.QuickThrowOnFailure.WithMaxTest(300).WithReplay(new Replay(new Rnd(20261123UL, 0x9E3779B97F4A7C15UL), null));

    /// <summary>A station's series: temperatures, each a step from the previous, at gaps of 1–15 minutes.</summary>
    private static Gen<(double Step, int GapMinutes)[]> Series(double maxStep) =>
        Gen.ListOf(Gen.Choose(-1000, 1000).Select(s => maxStep * s / 1000.0).Zip(Gen.Choose(1, 15)))
            .Select(l => l.ToArray());

    private static List<WeatherObservation> ToObservations((double Step, int GapMinutes)[] series)
    {
        var list = new List<WeatherObservation>(series.Length);
        var t = TimeSpan.Zero;
        var v = 15.0;
        foreach (var (step, gap) in series)
        {
            t += Min(gap);
            // Reflect at the range's edges and never repeat a value, so neither range nor stuck can fire.
            v = Math.Clamp(v + step, -20, 38);
            if (list.Count > 0 && Math.Abs(v - list[^1].TemperatureC!.Value) < 0.01)
            {
                v += v > 0 ? -0.05 : 0.05;
            }
            list.Add(Varying(list.Count) with { Ts = T0 + t, TemperatureC = v });
        }
        return list;
    }

    [Fact]
    public void Property_ChangesWithinStepAtShortGaps_NeverFlagged() =>
        Check.One(Property, Prop.ForAll(Series(3.9).ToArbitrary(), series =>
        {
            var checker = new WeatherQualityChecker(WeatherQualityRules.Default);
            return ToObservations(series).All(o => checker.Check(o).TemperatureC == QualityFlag.Ok);
        }));

    [Fact]
    public void Property_RangeFlag_ExactlyOutsideTheConfiguredRange() =>
        Check.One(Property, Prop.ForAll(Gen.Choose(-6000, 6000).Select(c => c / 100.0).ToArbitrary(), t =>
        {
            var q = new WeatherQualityChecker(WeatherQualityRules.Default).Check(Obs(TimeSpan.Zero, t));
            return (q.TemperatureC == QualityFlag.OutOfRange) == (t < -25 || t > 42);
        }));

    [Fact]
    public void Property_ReplaysInterleaved_DoNotChangeTheLiveVerdicts() =>
        Check.One(Property, Prop.ForAll(Series(8).Zip(Gen.ListOf(Gen.Choose(0, 1000))).ToArbitrary(), input =>
        {
            var (series, replayPicks) = input;
            var live = ToObservations(series);
            var plain = new WeatherQualityChecker(WeatherQualityRules.Default);
            var expected = live.Select(plain.Check).ToList();

            var disturbed = new WeatherQualityChecker(WeatherQualityRules.Default);
            var picks = new Queue<int>(replayPicks);
            for (var i = 0; i < live.Count; i++)
            {
                if (!Equals(disturbed.Check(live[i]), expected[i]))
                {
                    return false;
                }
                // After each live observation, maybe replay an older one (even with wild values).
                if (i > 0 && picks.TryDequeue(out var pick))
                {
                    var old = live[pick % i];
                    var replay = disturbed.Check(old with { TemperatureC = old.TemperatureC + 30 });
                    if (replay.TemperatureC is not (QualityFlag.Ok or QualityFlag.OutOfRange))
                    {
                        return false;
                    }
                }
            }
            return true;
        }));

    [Fact]
    public void Property_ConstantValue_StuckExactlyWhenLongerThanStuckAfter() =>
        Check.One(Property, Prop.ForAll(Gen.Choose(1, 60).Zip(Gen.Choose(1, 80)).ToArbitrary(), input =>
        {
            var (cadenceMinutes, count) = input;
            var checker = new WeatherQualityChecker(WeatherQualityRules.Default);
            for (var i = 0; i < count; i++)
            {
                var elapsed = Min(cadenceMinutes * i);
                var flag = checker.Check(Varying(i, temperatureC: 15) with { Ts = T0 + elapsed }).TemperatureC;
                if (flag != (elapsed > TimeSpan.FromHours(6) ? QualityFlag.Stuck : QualityFlag.Ok))
                {
                    return false;
                }
            }
            return true;
        }));
}
