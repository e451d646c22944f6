using FacilityHub.Contracts.Live;
using FacilityHub.Contracts.Messages;
using FacilityHub.Contracts.Sites;
using FacilityHub.Dashboard.Live;

namespace FacilityHub.Dashboard.Weather;

/// <summary>One weather station; <see cref="Observation"/> is null until it has reported.</summary>
public sealed record StationRow(
    string StationId,
    string NameJa,
    string? NameEn,
    WeatherObservation? Observation,
    TimeSpan? Age,
    bool Stale);

/// <summary>The stations of one district; <see cref="DistrictId"/> is null for stations the registry does not place.</summary>
public sealed record DistrictWeather(string? DistrictId, string NameJa, string NameEn, IReadOnlyList<StationRow> Stations);

public static class WeatherBoard
{
    /// <summary>Stations grouped by district in registry order; districts without a station are left out.</summary>
    public static IReadOnlyList<DistrictWeather> Build(SiteRegistry? registry, IEnumerable<WeatherState> states, DateTimeOffset now, TimeSpan staleAfter)
    {
        var byId = states.GroupBy(s => s.StationId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.MaxBy(s => s.Observation.Ts)!, StringComparer.Ordinal);
        var groups = new List<DistrictWeather>();
        if (registry is not null)
        {
            var stations = registry.OfKind(SiteKind.WeatherStation).ToList();
            foreach (var district in registry.Districts)
            {
                var rows = stations.Where(s => s.District == district.Id)
                    .Select(s => Row(s.Id, s, byId.Remove(s.Id, out var state) ? state : null, now, staleAfter))
                    .ToList();
                if (rows.Count > 0)
                {
                    groups.Add(new DistrictWeather(district.Id, district.NameJa, district.NameEn, rows));
                }
            }
        }
        if (byId.Count > 0)
        {
            var rows = byId.Values.OrderBy(s => s.StationId, StringComparer.Ordinal)
                .Select(s => Row(s.StationId, null, s, now, staleAfter))
                .ToList();
            groups.Add(new DistrictWeather(null, "その他", "Other", rows));
        }
        return groups;
    }

    private static StationRow Row(string id, Site? site, WeatherState? state, DateTimeOffset now, TimeSpan staleAfter)
    {
        var observation = state?.Observation;
        return new StationRow(
            id,
            site?.NameJa ?? id,
            site?.NameEn,
            observation,
            observation is null ? null : Freshness.Age(observation.Ts, now),
            observation is not null && Freshness.IsStale(observation.Ts, now, staleAfter));
    }
}
