using FacilityHub.Contracts.Crowding;
using FacilityHub.Dashboard.Shelters;
using FacilityHub.Dashboard.Tests.Support;
using static FacilityHub.Dashboard.Tests.Support.States;

namespace FacilityHub.Dashboard.Tests.Shelters;

public sealed class ShelterBoardTests
{
    private static readonly TimeSpan StaleAfter = TimeSpan.FromMinutes(5);

    [Fact]
    public void Build_Registry_ListsEveryShelterInRegistryOrder()
    {
        var rows = ShelterBoard.Build(Registry.Load(), [Shelter("shl-c", 10, 200)], T0, StaleAfter);

        Assert.Equal(["shl-a", "shl-b", "shl-c"], rows.Select(r => r.ShelterId));
        Assert.False(rows[0].HasReport);
        Assert.Equal(400, rows[0].Capacity);
        Assert.Null(rows[0].Level);
        Assert.True(rows[2].HasReport);
    }

    [Fact]
    public void Build_KnownShelter_HasNamesAndDistrict()
    {
        var row = ShelterBoard.Build(Registry.Load(), [], T0, StaleAfter).Single(r => r.ShelterId == "shl-b");

        Assert.Equal("十王中学校", row.NameJa);
        Assert.Equal("北部", row.DistrictJa);
        Assert.Equal("North", row.DistrictEn);
    }

    [Fact]
    public void Build_ReportedCapacity_WinsOverRegistry()
    {
        var row = ShelterBoard.Build(Registry.Load(), [Shelter("shl-a", 10, 250)], T0, StaleAfter).Single(r => r.ShelterId == "shl-a");

        Assert.Equal(250, row.Capacity);
    }

    [Fact]
    public void Totals_OpenClosedAndFull_CountsEvacueesOpenAndRoom()
    {
        var rows = ShelterBoard.Build(Registry.Load(),
        [
            Shelter("shl-a", 100, 400),
            Shelter("shl-b", 250, 300, accepting: false),
            Shelter("shl-c", 20, 200, open: false),
        ], T0, StaleAfter);

        var totals = ShelterBoard.Totals(rows);

        // shl-c is closed: its 20 are not evacuees now. shl-b is 満: no room whatever the count says.
        Assert.Equal(new ShelterTotals(Evacuees: 350, Open: 2, Shelters: 3, CapacityRemaining: 300, Reporting: 3, Stale: 0, Crowded: 0, Full: 1), totals);
    }

    [Fact]
    public void Totals_OverCapacity_AddsNoNegativeRoom()
    {
        var rows = ShelterBoard.Build(null, [Shelter("x", 450, 400), Shelter("y", 10, 100)], T0, StaleAfter);

        Assert.Equal(90, ShelterBoard.Totals(rows).CapacityRemaining);
    }

    [Fact]
    public void Build_SilentShelter_IsStaleAndKeepsItsLevel()
    {
        var time = new ManualTimeProvider(T0);
        var states = new[] { Shelter("shl-a", 300, 400, ts: time.GetUtcNow()) };

        time.Advance(TimeSpan.FromMinutes(4));
        var before = ShelterBoard.Build(Registry.Load(), states, time.GetUtcNow(), StaleAfter)[0];
        time.Advance(TimeSpan.FromMinutes(1));
        var after = ShelterBoard.Build(Registry.Load(), states, time.GetUtcNow(), StaleAfter)[0];

        Assert.False(before.Stale);
        Assert.True(after.Stale);
        Assert.Equal(CrowdingLevel.Crowded, after.Level);
        Assert.Equal(TimeSpan.FromMinutes(5), after.Age);
        Assert.Equal(1, ShelterBoard.Totals([after]).Stale);
    }

    [Fact]
    public void Build_ShelterMissingFromRegistry_IsAppendedById()
    {
        var rows = ShelterBoard.Build(Registry.Load(), [Shelter("shl-zz", 1, 10)], T0, StaleAfter);

        Assert.Equal("shl-zz", rows[^1].ShelterId);
        Assert.Equal("shl-zz", rows[^1].NameJa);
        Assert.Null(rows[^1].DistrictJa);
    }
}
