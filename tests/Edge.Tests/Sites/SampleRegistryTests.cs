using FacilityHub.Contracts.Sites;
using FacilityHub.TestSupport;

namespace FacilityHub.Edge.Tests.Sites;

public sealed class SampleRegistryTests
{
    private static readonly SiteRegistry Registry = SiteRegistry.Load(RepoPaths.SampleRegistry);

    [Fact]
    public void Load_SampleRegistry_HasTheCivicCenterWith28AccessPointsOnFloorsB1To6F()
    {
        Assert.True(Registry.TryGetSite("civic-center", out var civic));
        Assert.Equal(SiteKind.CivicCenter, civic.Kind);
        var aps = Registry.AccessPointsAt("civic-center");
        Assert.Equal(28, aps.Count);
        Assert.Equal(["B1", "1F", "2F", "3F", "4F", "5F", "6F"], aps.Select(a => a.Floor).Distinct());
    }

    [Fact]
    public void Load_SampleRegistry_HasShelterStationAndCommunityCenterCounts()
    {
        Assert.True(Registry.OfKind(SiteKind.Shelter).Count() >= 38);
        Assert.True(Registry.OfKind(SiteKind.WeatherStation).Count() >= 6);
        Assert.Equal(Registry.Districts.Count, Registry.OfKind(SiteKind.CommunityCenter).Count());
        Assert.All(Registry.OfKind(SiteKind.CommunityCenter), cc => Assert.InRange(Registry.AccessPointsAt(cc.Id).Count, 2, 4));
        Assert.Contains(Registry.OfKind(SiteKind.Shelter), s => Registry.AccessPointsAt(s.Id).Count > 0);
    }

    [Fact]
    public void Load_SampleRegistry_EverySiteIsInHitachiAndSheltersHavePlausibleCapacities()
    {
        Assert.All(Registry.Sites, s =>
        {
            Assert.InRange(s.Lat, 36.48, 36.72);
            Assert.InRange(s.Lon, 140.55, 140.72);
            Assert.True(Registry.TryGetDistrict(s.District, out _));
        });
        Assert.All(Registry.OfKind(SiteKind.Shelter), s => Assert.InRange(s.Capacity!.Value, 150, 900));
    }

    [Fact]
    public void Load_SampleRegistry_SaysItIsSampleData()
    {
        Assert.Equal("Hitachi", Registry.City);
        Assert.Contains("SAMPLE DATA", Registry.Document.Note, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_SampleRegistry_SimulatorAgentMayPublishForEverySiteAndEachSiteHasItsOwnAgent()
    {
        // ./run.sh's simulator connects as edge-sim (the Agent:Id default) and publishes for the whole city.
        Assert.True(Registry.TryGetAgent("edge-sim", out var sim));
        Assert.Equal(Registry.Sites.Select(s => s.Id).Order(StringComparer.Ordinal), sim.Sites.Order(StringComparer.Ordinal));
        var ownAgents = Registry.Agents.Where(a => a.Id != "edge-sim").ToList();
        Assert.All(Registry.Sites, s => Assert.Contains(ownAgents, a => a.Sites.Contains(s.Id)));
        Assert.True(Registry.TryGetAgent("edge-shelters", out var shelters));
        Assert.Equal(Registry.OfKind(SiteKind.Shelter).Count(), shelters.Sites.Count);
        Assert.True(Registry.TryGetAgent("wx-office", out var weather));
        Assert.Equal(Registry.OfKind(SiteKind.WeatherStation).Count(), weather.Sites.Count);
    }
}
