using FacilityHub.Contracts.Sites;

namespace FacilityHub.Contracts.Tests;

public sealed class SiteRegistryTests
{
    internal static string Mutate(string from, string to)
    {
        Assert.Contains(from, TestRegistry.Json, StringComparison.Ordinal);
        return TestRegistry.Json.Replace(from, to, StringComparison.Ordinal);
    }

    internal static void AssertRefused(string json, string expected)
    {
        var e = Assert.Throws<SiteRegistryException>(() => SiteRegistry.Parse(json, "test.json"));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void Parse_ValidRegistry_IndexesSitesAndAccessPoints()
    {
        var registry = TestRegistry.Load();
        Assert.True(registry.TryGetSite("shl-a", out var shelter));
        Assert.Equal(400, shelter.Capacity);
        Assert.True(registry.TryGetAccessPoint("civic-1f-01", out var ap));
        Assert.Equal("civic", ap.Site);
        Assert.Single(registry.AccessPointsAt("cc-a"));
        Assert.Empty(registry.AccessPointsAt("wx-a"));
    }

    [Fact]
    public void Parse_DuplicateSiteId_NamesTheEntry() =>
        AssertRefused(Mutate("\"id\": \"cc-a\", \"kind\"", "\"id\": \"civic\", \"kind\""), "site 'civic': duplicate id");

    [Fact]
    public void Parse_AccessPointIdSameAsSite_IsDuplicate() =>
        AssertRefused(Mutate("\"id\": \"cc-a-ap1\"", "\"id\": \"shl-a\""), "access point 'shl-a': duplicate id");

    [Fact]
    public void Parse_AccessPointWithoutSite_NamesTheEntry() =>
        AssertRefused(Mutate("\"site\": \"cc-a\"", "\"site\": \"cc-zzz\""), "access point 'cc-a-ap1': site 'cc-zzz' is not in sites");

    [Fact]
    public void Parse_AccessPointAtWeatherStation_IsRefused() =>
        AssertRefused(Mutate("\"site\": \"cc-a\"", "\"site\": \"wx-a\""), "is a weather station");

    [Theory]
    [InlineData("\"capacity\": 400", "\"capacity\": 0", "got 0")]
    [InlineData("\"capacity\": 400", "\"capacity\": -10", "got -10")]
    [InlineData(", \"capacity\": 400", "", "got none")]
    public void Parse_ShelterWithoutPositiveCapacity_NamesTheShelter(string from, string to, string expected) =>
        AssertRefused(Mutate(from, to), "site 'shl-a': a shelter needs capacity > 0, " + expected);

    [Fact]
    public void Parse_UnknownDistrict_NamesTheSite() =>
        AssertRefused(Mutate("\"district\": \"north\", \"lat\": 36.59", "\"district\": \"south\", \"lat\": 36.59"), "site 'civic': district 'south' is not in districts");

    [Fact]
    public void Parse_InvalidId_NamesTheSite() =>
        AssertRefused(Mutate("\"id\": \"wx-a\"", "\"id\": \"WX A\""), "site 'WX A': id must match");

    [Fact]
    public void Parse_PositionOffEarth_IsRefused() =>
        AssertRefused(Mutate("\"lat\": 36.59", "\"lat\": 136.59"), "site 'civic': lat/lon");

    [Fact]
    public void Parse_CapacityOnNonShelter_IsRefused() =>
        AssertRefused(Mutate("\"lat\": 36.59, \"lon\": 140.65 }", "\"lat\": 36.59, \"lon\": 140.65, \"capacity\": 5 }"), "capacity is only for shelters");

    [Fact]
    public void Parse_UnknownKind_IsRefused() =>
        AssertRefused(Mutate("\"kind\": \"civic_center\"", "\"kind\": \"stadium\""), "not a valid registry document");

    [Fact]
    public void Parse_NotJson_IsRefused() => AssertRefused("{", "not a valid registry document");

    [Fact]
    public void Load_MissingFile_NamesThePath()
    {
        var e = Assert.Throws<SiteRegistryException>(() => SiteRegistry.Load("/nonexistent/sites.json"));
        Assert.Contains("/nonexistent/sites.json", e.Message, StringComparison.Ordinal);
    }
}
