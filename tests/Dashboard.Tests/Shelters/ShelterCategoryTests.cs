using FacilityHub.Contracts.Crowding;
using FacilityHub.Dashboard.Components;
using FacilityHub.Dashboard.Shelters;
using FacilityHub.Dashboard.Tests.Support;
using static FacilityHub.Dashboard.Tests.Support.States;

namespace FacilityHub.Dashboard.Tests.Shelters;

public sealed class ShelterCategoryTests
{
    private static readonly TimeSpan StaleAfter = TimeSpan.FromMinutes(5);

    [Theory]
    [InlineData(50, true, true, ShelterCategory.Available)]
    [InlineData(130, true, true, ShelterCategory.SomewhatCrowded)]
    [InlineData(250, true, true, ShelterCategory.Crowded)]
    [InlineData(370, true, true, ShelterCategory.Full)]
    [InlineData(50, true, false, ShelterCategory.Full)]
    [InlineData(50, false, true, ShelterCategory.Closed)]
    public void Of_CurrentReport_IsItsLevel(int occupancy, bool open, bool accepting, ShelterCategory expected)
    {
        var row = Row(Shelter("shl-a", occupancy, 400, open, accepting));

        Assert.Equal(expected, ShelterCategories.Of(row));
    }

    [Fact]
    public void Of_StaleReport_IsStaleWhateverItsLevel()
    {
        var row = Row(Shelter("shl-a", 390, 400, ts: T0 - StaleAfter));

        Assert.Equal(CrowdingLevel.Full, row.Level);
        Assert.Equal(ShelterCategory.Stale, ShelterCategories.Of(row));
    }

    [Fact]
    public void Of_NoReport_IsNoReport()
    {
        var row = ShelterBoard.Build(Registry.Load(), [], T0, StaleAfter)[0];

        Assert.Equal(ShelterCategory.NoReport, ShelterCategories.Of(row));
    }

    [Fact]
    public void CssClass_EveryCategory_IsDistinct()
    {
        var classes = ShelterCategories.All.Select(c => c.CssClass()).ToList();

        Assert.Equal(Enum.GetValues<ShelterCategory>().Length, classes.Count);
        Assert.Equal(classes.Count, classes.Distinct().Count());
    }

    [Fact]
    public void Word_EveryCategory_HasJapaneseAndEnglishText()
    {
        foreach (var category in ShelterCategories.All)
        {
            var ja = Localizers.In("ja-JP", () => category.Word(Localizers.For<CommonText>(), Localizers.For<ShelterText>()));
            var en = Localizers.In("en", () => category.Word(Localizers.For<CommonText>(), Localizers.For<ShelterText>()));

            Assert.False(string.IsNullOrWhiteSpace(ja), category.ToString());
            Assert.NotEqual(ja, en);
        }
    }

    [Fact]
    public void Markers_FullShelter_LabelSaysLevelAndPercent()
    {
        var rows = ShelterBoard.Build(Registry.Load(), [Shelter("shl-a", 370, 400)], T0, StaleAfter);

        var marker = MarkersIn("ja-JP", rows).Single(m => m.Id == "shl-a");

        Assert.Equal("満 93%", marker.Label);
        Assert.Equal("lvl-full", marker.CssClass);
        Assert.Equal(36.6, marker.Lat);
        Assert.Equal(140.65, marker.Lon);
        Assert.Contains("日立第一小学校", marker.Title, StringComparison.Ordinal);
    }

    [Fact]
    public void Markers_StaleShelter_LabelSaysStaleAndTitleKeepsLastReport()
    {
        var rows = ShelterBoard.Build(Registry.Load(), [Shelter("shl-a", 370, 400, ts: T0.AddMinutes(-12))], T0, StaleAfter);

        var marker = MarkersIn("en", rows).Single(m => m.Id == "shl-a");

        Assert.Equal("Stale", marker.Label, ignoreCase: true);
        Assert.Equal("lvl-stale", marker.CssClass);
        Assert.Contains("Hitachi No.1 ES", marker.Title, StringComparison.Ordinal);
        Assert.Contains("12", marker.Title, StringComparison.Ordinal);
        Assert.Contains("93%", marker.Title, StringComparison.Ordinal);
    }

    [Fact]
    public void Markers_ShelterWithoutPosition_IsLeftOffTheMap()
    {
        var rows = ShelterBoard.Build(Registry.Load(), [Shelter("shl-zz", 1, 10)], T0, StaleAfter);

        var markers = ShelterMap.Markers(rows, english: false, Localizers.For<CommonText>(), Localizers.For<ShelterText>());

        Assert.Equal(["shl-a", "shl-b", "shl-c"], markers.Select(m => m.Id));
        Assert.All(markers.Where(m => m.Id != "shl-zz"), m => Assert.Equal("lvl-none", m.CssClass));
    }

    // Markers are built while the request's culture is current, as on the page.
    private static IReadOnlyList<FacilityHub.Dashboard.Components.Map.MapMarker> MarkersIn(string culture, IReadOnlyList<ShelterRow> rows)
    {
        IReadOnlyList<FacilityHub.Dashboard.Components.Map.MapMarker> markers = [];
        Localizers.In(culture, () =>
        {
            markers = ShelterMap.Markers(rows, culture == "en", Localizers.For<CommonText>(), Localizers.For<ShelterText>());
            return "";
        });
        return markers;
    }

    private static ShelterRow Row(FacilityHub.Contracts.Live.ShelterState state) =>
        ShelterBoard.Build(Registry.Load(), [state], T0, StaleAfter).Single(r => r.ShelterId == state.ShelterId);
}
