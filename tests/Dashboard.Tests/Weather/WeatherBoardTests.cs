using FacilityHub.Dashboard.Tests.Support;
using FacilityHub.Dashboard.Weather;
using static FacilityHub.Dashboard.Tests.Support.States;

namespace FacilityHub.Dashboard.Tests.Weather;

public sealed class WeatherBoardTests
{
    private static readonly TimeSpan StaleAfter = TimeSpan.FromMinutes(5);

    [Fact]
    public void Build_Registry_GroupsStationsByDistrictInRegistryOrder()
    {
        var groups = WeatherBoard.Build(Registry.Load(), [Station("wx-south", 14.0)], T0, StaleAfter);

        Assert.Equal(["north", "south"], groups.Select(g => g.DistrictId));
        Assert.Null(Assert.Single(groups[0].Stations).Observation);
        Assert.Equal(14.0, Assert.Single(groups[1].Stations).Observation!.TemperatureC);
    }

    [Fact]
    public void Build_StationMissingFromRegistry_GoesToOther()
    {
        var groups = WeatherBoard.Build(Registry.Load(), [Station("wx-stray")], T0, StaleAfter);

        var other = groups[^1];
        Assert.Null(other.DistrictId);
        Assert.Equal("wx-stray", Assert.Single(other.Stations).StationId);
    }

    [Fact]
    public void Build_NoRegistryYet_ShowsReportingStationsUnderOther()
    {
        var groups = WeatherBoard.Build(null, [Station("wx-b"), Station("wx-a")], T0, StaleAfter);

        Assert.Equal(["wx-a", "wx-b"], Assert.Single(groups).Stations.Select(s => s.StationId));
    }

    [Fact]
    public void Build_OldObservation_IsStale()
    {
        var time = new ManualTimeProvider(T0);
        var states = new[] { Station("wx-north", ts: time.GetUtcNow()) };
        time.Advance(TimeSpan.FromMinutes(6));

        var station = WeatherBoard.Build(Registry.Load(), states, time.GetUtcNow(), StaleAfter)[0].Stations[0];

        Assert.True(station.Stale);
        Assert.Equal(TimeSpan.FromMinutes(6), station.Age);
    }
}
