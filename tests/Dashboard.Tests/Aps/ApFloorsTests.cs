using FacilityHub.Contracts.Sites;
using FacilityHub.Dashboard.Aps;
using FacilityHub.TestSupport;
using static FacilityHub.Dashboard.Tests.Support.States;

namespace FacilityHub.Dashboard.Tests.Aps;

public sealed class ApFloorsTests
{
    private static ApRow Row(string id, string? floor) =>
        new(id, "site", "site", null, floor, null, ApCondition.NoData, null, null, null, null, null, null, false);

    [Fact]
    public void Group_Floors_BottomUpWithBasementsFirst()
    {
        var groups = ApFloors.Group([Row("a", "2F"), Row("b", "B1"), Row("c", "10F"), Row("d", "1F"), Row("e", "B2")]);

        Assert.Equal(["B2", "B1", "1F", "2F", "10F"], groups.Select(g => g.Floor));
    }

    [Fact]
    public void Group_UnknownAndMissingFloors_AfterRealFloors()
    {
        var groups = ApFloors.Group([Row("a", null), Row("b", "Roof"), Row("c", "1F"), Row("d", "Annex")]);

        Assert.Equal(["1F", "Annex", "Roof", null], groups.Select(g => g.Floor));
    }

    [Fact]
    public void Group_WithinFloor_ApsInIdOrder()
    {
        var groups = ApFloors.Group([Row("civic-1f-03", "1F"), Row("civic-1f-01", "1F"), Row("civic-1f-02", "1F")]);

        Assert.Equal(["civic-1f-01", "civic-1f-02", "civic-1f-03"], groups.Single().Aps.Select(a => a.ApId));
    }

    [Fact]
    public void Group_CivicCenterOfTheCityRegistry_SevenFloorsB1To6FWith28Aps()
    {
        var registry = SiteRegistry.Load(Path.Combine(RepoPaths.Root, "config", "sites.hitachi.json"));
        var rows = ApBoard.Build(registry, [], T0, TimeSpan.FromMinutes(5)).Where(r => r.SiteId == "civic-center");

        var groups = ApFloors.Group(rows);

        Assert.Equal(["B1", "1F", "2F", "3F", "4F", "5F", "6F"], groups.Select(g => g.Floor));
        Assert.Equal(28, groups.Sum(g => g.Aps.Count));
    }

    [Theory]
    [InlineData("B1", -1)]
    [InlineData("b3", -3)]
    [InlineData("1F", 1)]
    [InlineData("6f", 6)]
    [InlineData("B", int.MaxValue - 1)]
    [InlineData("0F", int.MaxValue - 1)]
    [InlineData(null, int.MaxValue)]
    public void Level_ParsesFloorNames(string? floor, int expected) => Assert.Equal(expected, ApFloors.Level(floor));
}
