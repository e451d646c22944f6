using FacilityHub.Contracts.Live;
using FacilityHub.Dashboard.Shelters;
using FacilityHub.Dashboard.Tests.Support;
using static FacilityHub.Dashboard.Tests.Support.States;

namespace FacilityHub.Dashboard.Tests.Shelters;

public sealed class ShelterOrderTests
{
    private static readonly TimeSpan StaleAfter = TimeSpan.FromMinutes(5);
    private static readonly Dictionary<string, ShelterTrend> NoTrends = [];

    private static IReadOnlyList<ShelterRow> Rows() => ShelterBoard.Build(Registry.Load(),
    [
        Shelter("shl-a", 100, 400),                    // 25 % available
        Shelter("shl-b", 100, 300, accepting: false),  // 満 by staff, 33 %
        Shelter("shl-c", 150, 200),                    // 75 % crowded
        Shelter("x-closed", 0, 100, open: false),
    ], T0, StaleAfter).Append(ShelterBoard.Build(null, [], T0, StaleAfter).FirstOrDefault() ?? NoReport()).ToList();

    // A shelter the registry knows that has not reported.
    private static ShelterRow NoReport() => new("shl-none", "未報告校", null, null, null, 100, null, null, null, null, null, null, null, false);

    [Fact]
    public void Default_MostCrowdedFirst_NoReportLast()
    {
        var order = ShelterOrder.Default.Apply(Rows(), NoTrends, english: false, StringComparer.Ordinal);

        Assert.Equal(["shl-b", "shl-c", "shl-a", "x-closed", "shl-none"], order.Select(r => r.ShelterId));
    }

    [Fact]
    public void Toggle_SameColumn_Reverses_KeepingNoValueLast()
    {
        var ascending = ShelterOrder.Default.Toggle(ShelterColumn.Level);

        var order = ascending.Apply(Rows(), NoTrends, english: false, StringComparer.Ordinal);

        Assert.False(ascending.Descending);
        Assert.Equal(["x-closed", "shl-a", "shl-c", "shl-b", "shl-none"], order.Select(r => r.ShelterId));
    }

    [Fact]
    public void Toggle_OtherColumn_StartsInItsNaturalDirection()
    {
        Assert.Equal(new ShelterOrder(ShelterColumn.Occupancy, true), ShelterOrder.Default.Toggle(ShelterColumn.Occupancy));
        Assert.Equal(new ShelterOrder(ShelterColumn.Name, false), ShelterOrder.Default.Toggle(ShelterColumn.Name));
    }

    [Fact]
    public void Occupancy_Descending_TiesBrokenByPercent()
    {
        var order = new ShelterOrder(ShelterColumn.Occupancy, true).Apply(Rows(), NoTrends, english: false, StringComparer.Ordinal);

        // shl-a and shl-b both have 100: shl-b's 33 % beats shl-a's 25 %.
        Assert.Equal(["shl-c", "shl-b", "shl-a", "x-closed", "shl-none"], order.Select(r => r.ShelterId));
    }

    [Fact]
    public void Name_Ascending_UsesThePersonsLanguage()
    {
        var order = new ShelterOrder(ShelterColumn.Name, false).Apply(Rows().Where(r => r.ShelterId.StartsWith("shl-", StringComparison.Ordinal) && r.NameEn is not null),
            NoTrends, english: true, StringComparer.OrdinalIgnoreCase);

        Assert.Equal(["Hitachi No.1 ES", "Juo JHS", "Namekawa ES"], order.Select(r => r.Name(true)));
    }

    [Fact]
    public void Trend_Descending_BiggestRiseFirst_NoHistoryLast()
    {
        var trends = new Dictionary<string, ShelterTrend>
        {
            ["shl-a"] = Trend(100, 160),
            ["shl-c"] = Trend(150, 140),
        };

        var order = new ShelterOrder(ShelterColumn.Trend, true).Apply(Rows(), trends, english: false, StringComparer.Ordinal);

        Assert.Equal(["shl-a", "shl-c"], order.Take(2).Select(r => r.ShelterId));
    }

    [Fact]
    public void AriaSort_OnlyTheSortedColumn_SaysItsDirection()
    {
        var order = new ShelterOrder(ShelterColumn.Percent, false);

        Assert.Equal("ascending", order.AriaSort(ShelterColumn.Percent));
        Assert.Equal("none", order.AriaSort(ShelterColumn.Name));
        Assert.Equal("descending", ShelterOrder.Default.AriaSort(ShelterColumn.Level));
    }

    private static ShelterTrend Trend(double from, double to) => new(
        [new HistoryPoint(T0.AddHours(-1), from), new HistoryPoint(T0, to)], T0.AddHours(-3), T0);
}
