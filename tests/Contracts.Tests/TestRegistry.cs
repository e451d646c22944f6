using FacilityHub.Contracts.Sites;

namespace FacilityHub.Contracts.Tests;

/// <summary>A small registry for unit tests, independent of the sample city's data.</summary>
internal static class TestRegistry
{
    public const string Json = """
        {
          "city": "Test",
          "districts": [ { "id": "north", "nameJa": "北部", "nameEn": "North" } ],
          "sites": [
            { "id": "civic", "kind": "civic_center", "nameJa": "シビック", "nameEn": "Civic", "district": "north", "lat": 36.59, "lon": 140.65 },
            { "id": "cc-a", "kind": "community_center", "nameJa": "A交流センター", "nameEn": "A CC", "district": "north", "lat": 36.6, "lon": 140.6 },
            { "id": "shl-a", "kind": "shelter", "nameJa": "A小学校", "nameEn": "A ES", "district": "north", "lat": 36.6, "lon": 140.6, "capacity": 400 },
            { "id": "wx-a", "kind": "weather_station", "nameJa": "A観測所", "nameEn": "A Station", "district": "north", "lat": 36.6, "lon": 140.6 }
          ],
          "accessPoints": [
            { "id": "civic-1f-01", "site": "civic", "floor": "1F" },
            { "id": "cc-a-ap1", "site": "cc-a" }
          ],
          "agents": [
            { "id": "edge-a", "sites": ["cc-a", "shl-a"] },
            { "id": "wx-office", "sites": ["wx-a"] }
          ]
        }
        """;

    public static SiteRegistry Load() => SiteRegistry.Parse(Json);
}
