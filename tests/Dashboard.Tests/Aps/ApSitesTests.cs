using FacilityHub.Contracts.Messages;
using FacilityHub.Dashboard.Aps;
using FacilityHub.Dashboard.Tests.Support;
using static FacilityHub.Dashboard.Tests.Support.States;

namespace FacilityHub.Dashboard.Tests.Aps;

public sealed class ApSitesTests
{
    private static readonly TimeSpan StaleAfter = TimeSpan.FromMinutes(5);
    private static readonly ApHealthOptions Health = new() { OverloadUtilPct = 70, OverloadClients = 60 };

    private static IReadOnlyList<ApSiteSummary> Sites(params FacilityHub.Contracts.Live.ApState[] states) =>
        ApSites.Build(Registry.Load(), ApBoard.Build(Registry.Load(), states, T0, StaleAfter), Health);

    [Fact]
    public void Build_EveryRegistrySiteWithAps_GetsOneCard()
    {
        var sites = Sites();

        Assert.Equal(["civic", "cc-juo"], sites.Select(s => s.SiteId));
        Assert.All(sites, s => Assert.Equal(SiteAttention.NoData, s.Attention));
        Assert.Equal(3, sites[0].Total);
    }

    [Fact]
    public void Build_SiteWithDownAp_SortsBeforeOverloadedAndOk()
    {
        var sites = Sites(
            Ap("civic-1f-01", u2: 90),
            Ap("civic-1f-02"),
            ApDown("juo-01", siteId: "cc-juo"));

        Assert.Equal(["cc-juo", "civic"], sites.Select(s => s.SiteId));
        Assert.Equal(SiteAttention.Down, sites[0].Attention);
        Assert.Equal(SiteAttention.Overloaded, sites[1].Attention);
    }

    [Fact]
    public void Build_OverloadedSite_SortsBeforeOkSiteEarlierInRegistry()
    {
        var sites = Sites(
            Ap("civic-1f-01"),
            Ap("juo-01", siteId: "cc-juo", c2: 30, c5: 30, u2: 10, u5: 10));

        Assert.Equal(["cc-juo", "civic"], sites.Select(s => s.SiteId));
        Assert.Equal(1, sites[0].Overloaded);
    }

    [Fact]
    public void Summarize_CountsAndWorstUtilisation_FromCurrentUpApsOnly()
    {
        var site = Sites(
            Ap("civic-1f-01", c2: 5, c5: 10, u2: 20, u5: 35),
            Ap("civic-1f-02", c2: 1, c5: 2, u2: 45, u5: 5),
            // Stale: its numbers are not today's, so they neither add clients nor set the worst utilisation.
            Ap("civic-2f-01", c2: 50, c5: 50, u2: 99, u5: 99, ts: T0 - StaleAfter)).Single(s => s.SiteId == "civic");

        Assert.Equal(3, site.Up);
        Assert.Equal(1, site.Stale);
        Assert.Equal(18, site.Clients);
        Assert.Equal(45, site.WorstUtil2gPct);
        Assert.Equal(35, site.WorstUtil5gPct);
        Assert.Equal(0, site.Overloaded);
        Assert.Equal(SiteAttention.Stale, site.Attention);
    }

    [Fact]
    public void Summarize_StaleDownAp_StillCountsAsDown()
    {
        var site = Sites(ApDown("civic-1f-01", ts: T0.AddHours(-1))).Single(s => s.SiteId == "civic");

        Assert.Equal(1, site.Down);
        Assert.Equal(SiteAttention.Down, site.Attention);
    }

    [Fact]
    public void Build_ApUnknownToRegistry_GetsItsOwnCardAfterRegisteredSitesOfTheSameAttention()
    {
        var sites = Sites(Ap("civic-1f-01"), Ap("stray-01", siteId: "stray-site"));

        // Both OK; cc-juo has never reported, so it goes last.
        Assert.Equal(["civic", "stray-site", "cc-juo"], sites.Select(s => s.SiteId));
        Assert.Equal("stray-site", sites[1].NameJa);
    }

    [Fact]
    public void NeedingAttention_ListsDownOverloadedAndStale_WorstFirst()
    {
        var rows = ApBoard.Build(Registry.Load(), [
            Ap("civic-1f-01", u2: 10, u5: 10),
            Ap("civic-1f-02", u2: 75),
            ApDown("civic-2f-01"),
            Ap("juo-01", siteId: "cc-juo", ts: T0 - TimeSpan.FromMinutes(10)),
        ], T0, StaleAfter);

        var list = ApSites.NeedingAttention(rows, Health);

        Assert.Equal(["civic-2f-01", "civic-1f-02", "juo-01"], list.Select(r => r.ApId));
    }
}

public sealed class ApHealthOptionsTests
{
    private static readonly ApHealthOptions Health = new() { OverloadUtilPct = 70, OverloadClients = 60, BusyUtilPct = 50 };

    private static ApRow Row(ApCondition condition = ApCondition.Up, int? c2 = 5, int? c5 = 5, double? u2 = 10, double? u5 = 10, bool stale = false) =>
        new("ap", "site", "site", null, null, null, condition, c2, c5, u2, u5, States.T0, TimeSpan.Zero, stale);

    [Theory]
    [InlineData(69.9, 10, 59, false)]
    [InlineData(70, 10, 0, true)]
    [InlineData(10, 70, 0, true)]
    [InlineData(10, 10, 60, true)]
    public void IsOverloaded_AtEitherLimit_IsTrue(double u2, double u5, int clients, bool expected) =>
        Assert.Equal(expected, Health.IsOverloaded(Row(c2: clients, c5: 0, u2: u2, u5: u5)));

    [Fact]
    public void IsOverloaded_StaleOrDown_IsFalse()
    {
        Assert.False(Health.IsOverloaded(Row(u2: 95, stale: true)));
        Assert.False(Health.IsOverloaded(Row(ApCondition.Down, null, null, null, null)));
    }

    [Fact]
    public void IsOverloaded_NoNumbers_IsFalse() =>
        Assert.False(Health.IsOverloaded(Row(c2: null, c5: null, u2: null, u5: null)));

    [Fact]
    public void HealthOf_EachCondition_HasItsWord()
    {
        Assert.Equal(ApHealth.Down, Health.HealthOf(Row(ApCondition.Down)));
        Assert.Equal(ApHealth.NoData, Health.HealthOf(Row(ApCondition.NoData)));
        Assert.Equal(ApHealth.Overloaded, Health.HealthOf(Row(u5: 80)));
        Assert.Equal(ApHealth.Up, Health.HealthOf(Row()));
    }

    [Theory]
    [InlineData(null, "none")]
    [InlineData(49.9, "ok")]
    [InlineData(50.0, "warn")]
    [InlineData(70.0, "bad")]
    public void UtilClass_ByThreshold(double? pct, string expected) => Assert.Equal(expected, Health.UtilClass(pct));

    [Theory]
    [InlineData(0, 60, 50, false)]
    [InlineData(101, 60, 50, false)]
    [InlineData(70, 0, 50, false)]
    [InlineData(70, 60, 80, false)]
    [InlineData(70, 60, 50, true)]
    public void Validator_RejectsNonsense(double util, int clients, double busy, bool valid)
    {
        var result = new ApHealthOptionsValidator().Validate(null, new ApHealthOptions { OverloadUtilPct = util, OverloadClients = clients, BusyUtilPct = busy });
        Assert.Equal(valid, result.Succeeded);
    }
}
