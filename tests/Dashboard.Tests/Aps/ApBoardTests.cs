using FacilityHub.Dashboard.Aps;
using FacilityHub.Dashboard.Tests.Support;
using static FacilityHub.Dashboard.Tests.Support.States;

namespace FacilityHub.Dashboard.Tests.Aps;

public sealed class ApBoardTests
{
    private static readonly TimeSpan StaleAfter = TimeSpan.FromMinutes(5);

    [Fact]
    public void Build_MixedStates_SortsDownFirstThenBusiestBand()
    {
        var states = new[]
        {
            Ap("civic-1f-01", u2: 30, u5: 10),
            Ap("civic-1f-02", u2: 5, u5: 90),
            ApDown("civic-2f-01"),
            Ap("juo-01", siteId: "cc-juo", u2: 60, u5: 61),
        };

        var rows = ApBoard.Build(Registry.Load(), states, T0, StaleAfter);

        Assert.Equal(["civic-2f-01", "civic-1f-02", "juo-01", "civic-1f-01"], rows.Select(r => r.ApId));
    }

    [Fact]
    public void Build_RegistryApWithoutReport_IsListedLastAsNoData()
    {
        var rows = ApBoard.Build(Registry.Load(), [Ap("civic-1f-01", u2: 1, u5: 1)], T0, StaleAfter);

        Assert.Equal("civic-1f-01", rows[0].ApId);
        Assert.All(rows.Skip(1), r => Assert.Equal(ApCondition.NoData, r.Condition));
        Assert.All(rows.Skip(1), r => Assert.Null(r.TotalClients));
        Assert.Equal(4, rows.Count);
    }

    [Fact]
    public void Build_UpWithoutUtilisation_SortsAfterUpWithUtilisation()
    {
        var rows = ApBoard.Build(null, [Ap("a", u2: null, u5: null), Ap("b", u2: 1, u5: null)], T0, StaleAfter);

        Assert.Equal(["b", "a"], rows.Select(r => r.ApId));
    }

    [Fact]
    public void Build_EqualUtilisation_OrdersBySiteThenId()
    {
        var rows = ApBoard.Build(null, [Ap("z", siteId: "b"), Ap("y", siteId: "a"), Ap("x", siteId: "b")], T0, StaleAfter);

        Assert.Equal(["y", "x", "z"], rows.Select(r => r.ApId));
    }

    [Fact]
    public void Build_ReportOlderThanStaleAfter_IsMarkedStaleButKeepsItsPlace()
    {
        var time = new ManualTimeProvider(T0);
        var states = new[] { Ap("fresh", u2: 10), Ap("old", u2: 80, ts: T0) };
        time.Advance(StaleAfter);
        states[0] = Ap("fresh", u2: 10, ts: time.GetUtcNow());

        var rows = ApBoard.Build(null, states, time.GetUtcNow(), StaleAfter);

        Assert.Equal(["old", "fresh"], rows.Select(r => r.ApId));
        Assert.True(rows[0].Stale);
        Assert.False(rows[1].Stale);
    }

    [Fact]
    public void Build_KnownAp_TakesSiteNameAndFloorFromRegistry()
    {
        var row = ApBoard.Build(Registry.Load(), [Ap("civic-2f-01", c2: 3, c5: 4)], T0, StaleAfter).First();

        Assert.Equal("日立市役所", row.SiteNameJa);
        Assert.Equal("2F", row.Floor);
        Assert.Equal(7, row.TotalClients);
    }

    [Fact]
    public void Build_ApMissingFromRegistry_FallsBackToSiteId()
    {
        var row = Assert.Single(ApBoard.Build(null, [Ap("stray", siteId: "somewhere")], T0, StaleAfter));

        Assert.Equal("somewhere", row.SiteNameJa);
        Assert.Null(row.Floor);
    }

    [Fact]
    public void TotalClients_OneBandMissing_CountsTheOther()
    {
        var row = Assert.Single(ApBoard.Build(null, [Ap("a", c2: null, c5: 9)], T0, StaleAfter));

        Assert.Equal(9, row.TotalClients);
    }

    [Fact]
    public void Summarize_Board_CountsByConditionAndClientsOfUpAps()
    {
        var rows = ApBoard.Build(Registry.Load(), [Ap("civic-1f-01", c2: 2, c5: 3), ApDown("civic-1f-02"), Ap("juo-01", c2: 1, c5: 1, ts: T0.AddMinutes(-10))], T0, StaleAfter);

        var summary = ApBoard.Summarize(rows);

        Assert.Equal(new ApSummary(Total: 4, Up: 2, Down: 1, NoData: 1, Stale: 1, Clients: 7), summary);
    }
}
