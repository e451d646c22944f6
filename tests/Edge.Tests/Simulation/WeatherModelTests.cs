using FacilityHub.Contracts.Messages;
using FacilityHub.Contracts.Sites;
using FacilityHub.Edge.Simulation;
using FacilityHub.Edge.Tests.Support;

namespace FacilityHub.Edge.Tests.Simulation;

public sealed class WeatherModelTests
{
    private static readonly WeatherModel Model = new(1);
    private static readonly List<Site> Stations = Sample.Registry.OfKind(SiteKind.WeatherStation).ToList();
    private static readonly DateTimeOffset November1 = new(2026, 11, 1, 0, 0, 0, TimeSpan.FromHours(9));

    private static double Mean(Func<WeatherObservation, double?> value, double hour) =>
        Enumerable.Range(0, 30)
            .SelectMany(day => Stations.Select(s => value(Model.Observe(s, November1.AddDays(day).AddHours(hour)))))
            .Where(v => v is not null)
            .Average(v => v!.Value);

    [Fact]
    public void Observe_November_ColdestNearDawnWarmestEarlyAfternoon()
    {
        var dawn = Mean(o => o.TemperatureC, 5.75);
        var afternoon = Mean(o => o.TemperatureC, 14);
        var evening = Mean(o => o.TemperatureC, 20);
        Assert.InRange(dawn, 4, 10);
        Assert.InRange(afternoon, 12, 18);
        Assert.True(afternoon - dawn > 5, $"dawn {dawn:F1}, afternoon {afternoon:F1}");
        Assert.InRange(evening, dawn, afternoon);
    }

    [Fact]
    public void Observe_November_HumidityFallsAsTheDayWarms()
    {
        Assert.True(Mean(o => o.HumidityPct, 5.75) > Mean(o => o.HumidityPct, 14) + 10);
    }

    [Fact]
    public void Observe_MountainStation_ColderThanTheCoast()
    {
        var mountain = Stations.Single(s => s.Id == "wx-nakasato");
        var coast = Stations.Single(s => s.Id == "wx-kuji");
        var days = Enumerable.Range(0, 30).Select(d => November1.AddDays(d).AddHours(12)).ToList();
        Assert.True(days.Average(t => Model.Observe(mountain, t).TemperatureC!.Value) < days.Average(t => Model.Observe(coast, t).TemperatureC!.Value) - 1);
    }

    [Fact]
    public void Observe_EveryTenMinutesOfAMonth_RainTotalsNestAndShowersPass()
    {
        var wetObservations = 0;
        var observations = 0;
        foreach (var station in Stations)
        {
            foreach (var at in Sample.Every(November1, TimeSpan.FromDays(30), TimeSpan.FromMinutes(10)))
            {
                var o = Model.Observe(station, at);
                observations++;
                Assert.True(o.Rain10mMm >= 0);
                Assert.True(o.Rain1hMm >= o.Rain10mMm, $"{station.Id} {at:O}: 1h {o.Rain1hMm} < 10m {o.Rain10mMm}");
                Assert.True(o.Rain24hMm >= o.Rain1hMm, $"{station.Id} {at:O}: 24h {o.Rain24hMm} < 1h {o.Rain1hMm}");
                Assert.Equal(0, o.Rain1hMm!.Value % 0.5);
                if (o.Rain10mMm > 0)
                {
                    wetObservations++;
                }
            }
        }
        Assert.InRange(wetObservations, 1, observations / 5);
    }

    [Fact]
    public void Rain_AdjacentPeriods_AddUpToTheWholePeriod()
    {
        var station = Stations[0];
        foreach (var at in Sample.Every(November1, TimeSpan.FromDays(10), TimeSpan.FromMinutes(37)))
        {
            var sixTens = Enumerable.Range(0, 6).Sum(i => Model.Rain(station.Id, at.AddMinutes(10 * i), at.AddMinutes(10 * (i + 1))));
            Assert.Equal(Model.Rain(station.Id, at, at.AddHours(1)), sixTens, 9);
        }
    }

    [Fact]
    public void Observe_AMonth_WindDirectionAndGustStayPhysical()
    {
        foreach (var station in Stations)
        {
            foreach (var at in Sample.Every(November1, TimeSpan.FromDays(30), TimeSpan.FromMinutes(30)))
            {
                var o = Model.Observe(station, at);
                if (o.WindSpeedMs is { } speed)
                {
                    Assert.InRange(o.WindDirDeg!.Value, 0, 359);
                    Assert.True(o.GustMs >= speed);
                }
                Assert.InRange(o.PressureHpa!.Value, 990, 1035);
            }
        }
    }
}
