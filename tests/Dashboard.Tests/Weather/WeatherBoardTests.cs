using FacilityHub.Contracts.Quality;
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
        Assert.Null(other.NameJa);
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

    [Fact]
    public void Build_Station_CarriesTheHubsQualityVerdict()
    {
        var quality = WeatherQuality.AllOk with { TemperatureC = QualityFlag.Jump };

        var station = WeatherBoard.Build(Registry.Load(), [Station("wx-north", quality: quality)], T0, StaleAfter)[0].Stations[0];

        Assert.Same(quality, station.Quality);
    }

    [Fact]
    public void Build_StationNotYetReported_HasNoVerdict()
    {
        var station = WeatherBoard.Build(Registry.Load(), [], T0, StaleAfter)[0].Stations[0];

        Assert.Null(station.Observation);
        Assert.Null(station.Quality);
    }

    [Fact]
    public void Find_RegisteredStation_WithItsDistrictEvenBeforeItReports()
    {
        var detail = WeatherBoard.Find(Registry.Load(), [], "wx-north", T0, StaleAfter);

        Assert.NotNull(detail);
        Assert.True(detail.InRegistry);
        Assert.Equal("North", detail.DistrictEn);
        Assert.Equal("Juo station", detail.Station.NameEn);
        Assert.Null(detail.Station.Observation);
    }

    [Fact]
    public void Find_ReportingStation_TakesItsNewestObservation()
    {
        var states = new[] { Station("wx-south", 10, T0), Station("wx-south", 11, T0.AddMinutes(1)), Station("wx-north", 20) };

        var detail = WeatherBoard.Find(Registry.Load(), states, "wx-south", T0.AddMinutes(1), StaleAfter);

        Assert.Equal(11, detail!.Station.Observation!.TemperatureC);
        Assert.False(detail.Station.Stale);
    }

    [Theory]
    [InlineData("wx-nowhere")]
    [InlineData("civic")] // a site, but not a weather station
    [InlineData("")]
    public void Find_UnknownOrNotAStation_IsNull(string id)
    {
        Assert.Null(WeatherBoard.Find(Registry.Load(), [Station("wx-north")], id, T0, StaleAfter));
    }

    [Fact]
    public void Find_NoRegistryYet_OnlyAReportingStation()
    {
        Assert.Null(WeatherBoard.Find(null, [], "wx-north", T0, StaleAfter));
        var detail = WeatherBoard.Find(null, [Station("wx-north")], "wx-north", T0, StaleAfter);
        Assert.False(detail!.InRegistry);
        Assert.Null(detail.DistrictJa);
    }
}
