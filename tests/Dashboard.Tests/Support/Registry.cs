using FacilityHub.Contracts.Sites;

namespace FacilityHub.Dashboard.Tests.Support;

/// <summary>A small registry in the hub's <c>/api/sites</c> shape: two districts, three shelters, one centre with APs, two stations.</summary>
public static class Registry
{
    public const string Json = """
        {
          "city": "日立市",
          "districts": [
            { "id": "north", "nameJa": "北部", "nameEn": "North" },
            { "id": "south", "nameJa": "南部", "nameEn": "South" }
          ],
          "sites": [
            { "id": "civic", "kind": "civic_center", "nameJa": "日立市役所", "nameEn": "Civic Center", "district": "south", "lat": 36.5992, "lon": 140.6513 },
            { "id": "cc-juo", "kind": "community_center", "nameJa": "十王交流センター", "nameEn": "Juo Community Center", "district": "north", "lat": 36.68, "lon": 140.68 },
            { "id": "shl-a", "kind": "shelter", "nameJa": "日立第一小学校", "nameEn": "Hitachi No.1 ES", "district": "south", "lat": 36.6, "lon": 140.65, "capacity": 400 },
            { "id": "shl-b", "kind": "shelter", "nameJa": "十王中学校", "nameEn": "Juo JHS", "district": "north", "lat": 36.68, "lon": 140.68, "capacity": 300 },
            { "id": "shl-c", "kind": "shelter", "nameJa": "滑川小学校", "nameEn": "Namekawa ES", "district": "south", "lat": 36.61, "lon": 140.64, "capacity": 200 },
            { "id": "wx-south", "kind": "weather_station", "nameJa": "日立市役所観測点", "nameEn": "Civic Center station", "district": "south", "lat": 36.6, "lon": 140.65 },
            { "id": "wx-north", "kind": "weather_station", "nameJa": "十王観測点", "nameEn": "Juo station", "district": "north", "lat": 36.68, "lon": 140.68 }
          ],
          "accessPoints": [
            { "id": "civic-1f-01", "site": "civic", "floor": "1F" },
            { "id": "civic-1f-02", "site": "civic", "floor": "1F" },
            { "id": "civic-2f-01", "site": "civic", "floor": "2F" },
            { "id": "juo-01", "site": "cc-juo" }
          ]
        }
        """;

    public static SiteRegistry Load() => SiteRegistry.Parse(Json, "test registry");
}
