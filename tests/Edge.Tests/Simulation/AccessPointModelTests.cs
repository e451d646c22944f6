using FacilityHub.Contracts.Messages;
using FacilityHub.Contracts.Sites;
using FacilityHub.Edge.Simulation;
using FacilityHub.Edge.Tests.Support;

namespace FacilityHub.Edge.Tests.Simulation;

public sealed class AccessPointModelTests
{
    private static readonly AccessPointModel Model = Sample.AccessPoints();

    private static IEnumerable<(Site Site, AccessPoint Ap)> ApsAt(SiteKind kind) =>
        Sample.Registry.OfKind(kind).SelectMany(s => Sample.Registry.AccessPointsAt(s.Id).Select(ap => (s, ap)));

    private static int TotalClients(SiteKind kind, DateTimeOffset at) => ApsAt(kind).Sum(x => Model.Clients(x.Site, x.Ap, at));

    [Theory]
    [InlineData(SiteKind.CivicCenter)]
    [InlineData(SiteKind.CommunityCenter)]
    public void Clients_WeekdayMorningPeak_FarAboveTheNight(SiteKind kind)
    {
        for (var day = 0; day < 5; day++)
        {
            var date = Sample.Monday.AddDays(day);
            Assert.True(TotalClients(kind, date.AddHours(11)) > 5 * Math.Max(1, TotalClients(kind, date.AddHours(3))), $"day {day}");
            Assert.True(TotalClients(kind, date.AddHours(15)) > TotalClients(kind, date.AddHours(12.5)), $"day {day}: afternoon peak above the lunch dip");
        }
    }

    [Fact]
    public void Clients_CivicCenterEventEvenings_CrowdTheHallAccessPoints()
    {
        var civic = ApsAt(SiteKind.CivicCenter).ToList();
        var halls = civic.Where(x => x.Ap.Label!.Contains("ホール", StringComparison.Ordinal)).ToList();
        var others = civic.Except(halls).ToList();
        Assert.NotEmpty(halls);

        var eventEvenings = 0;
        for (var day = 0; day < 14; day++)
        {
            var evening = Sample.Monday.AddDays(day).AddHours(19.5);
            var hallMean = halls.Average(x => Model.Clients(x.Site, x.Ap, evening));
            var otherMean = others.Average(x => Model.Clients(x.Site, x.Ap, evening));
            if (hallMean > 3 * otherMean && hallMean > 60)
            {
                eventEvenings++;
            }
        }
        Assert.InRange(eventEvenings, 3, 13);
    }

    [Fact]
    public void Sample_OverAWeek_APsAreOccasionallyDownAndUptimeRestartsAfterwards()
    {
        var samples = 0;
        var down = 0;
        var rebootsSeen = 0;
        foreach (var (site, ap) in ApsAt(SiteKind.CivicCenter).Concat(ApsAt(SiteKind.CommunityCenter)).Concat(ApsAt(SiteKind.Shelter)))
        {
            long? lastUptime = null;
            foreach (var at in Sample.Every(Sample.Monday, TimeSpan.FromDays(7), TimeSpan.FromMinutes(5)))
            {
                var sample = Model.Sample(site, ap, at);
                samples++;
                if (sample.Status == ApStatus.Down)
                {
                    down++;
                    Assert.Null(sample.Clients2g);
                    continue;
                }
                if (lastUptime is { } previous && sample.UptimeS < previous)
                {
                    rebootsSeen++;
                }
                else if (lastUptime is { } before)
                {
                    Assert.Equal(before + 300, sample.UptimeS!.Value, tolerance: 1);
                }
                lastUptime = sample.UptimeS;
            }
        }
        Assert.True(down > 0, "no AP went down all week");
        Assert.True(down < samples / 100, $"{down} of {samples} samples down");
        Assert.True(rebootsSeen > 0);
    }

    [Fact]
    public void Clients_ShelterGymDuringEvacuation_CarriesTheEvacueesPhones()
    {
        var start = Sample.Monday.AddHours(6);
        var shelters = Sample.Shelters(Scenario.Evacuation, start);
        var model = new AccessPointModel(1, shelters, Sample.Registry);
        var gyms = ApsAt(SiteKind.Shelter).ToList();
        Assert.NotEmpty(gyms);

        var before = gyms.Sum(x => model.Clients(x.Site, x.Ap, start.AddHours(-1)));
        var during = gyms.Sum(x => model.Clients(x.Site, x.Ap, start.AddHours(6)));
        Assert.True(during > before + 100, $"before {before}, during {during}");
    }
}
