using FacilityHub.Contracts.Live;
using FacilityHub.Contracts.Messages;
using FacilityHub.Contracts.Quality;
using FacilityHub.Contracts.Sites;
using FacilityHub.Dashboard.Live;

namespace FacilityHub.Dashboard.Weather;

/// <summary>
/// One weather station; <see cref="Observation"/> is null until it has reported. <see cref="Quality"/> is the hub's
/// verdict on each of the observation's values (null with no observation).
/// </summary>
public sealed record StationRow(
    string StationId,
    string NameJa,
    string? NameEn,
    WeatherObservation? Observation,
    WeatherQuality? Quality,
    TimeSpan? Age,
    bool Stale);

/// <summary>
/// The stations of one district. <see cref="DistrictId"/> and the names are null for the stations the registry does
/// not place: the page names that group from its resources.
/// </summary>
public sealed record DistrictWeather(string? DistrictId, string? NameJa, string? NameEn, IReadOnlyList<StationRow> Stations);

/// <summary>A station's row plus where it is; <see cref="InRegistry"/> is false for a station that reports without being registered.</summary>
public sealed record StationDetail(StationRow Station, string? DistrictJa, string? DistrictEn, bool InRegistry);

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
            groups.Add(new DistrictWeather(null, null, null, rows));
        }
        return groups;
    }

    /// <summary>
    /// One station for its detail page: a station of the registry (reported or not) or one that reports without being
    /// in it; null when neither, or when the registry has not loaded and the station has not reported (yet).
    /// </summary>
    public static StationDetail? Find(SiteRegistry? registry, IEnumerable<WeatherState> states, string stationId, DateTimeOffset now, TimeSpan staleAfter)
    {
        var state = states.Where(s => s.StationId == stationId).MaxBy(s => s.Observation.Ts);
        Site? site = null;
        if (registry is not null && registry.TryGetSite(stationId, out var found) && found.Kind == SiteKind.WeatherStation)
        {
            site = found;
        }
        if (site is null && state is null)
        {
            return null;
        }
        var district = site is null ? null : registry!.Districts.FirstOrDefault(d => d.Id == site.District);
        return new StationDetail(Row(stationId, site, state, now, staleAfter), district?.NameJa, district?.NameEn, site is not null);
    }

    private static StationRow Row(string id, Site? site, WeatherState? state, DateTimeOffset now, TimeSpan staleAfter)
    {
        var observation = state?.Observation;
        return new StationRow(
            id,
            site?.NameJa ?? id,
            site?.NameEn,
            observation,
            state?.Quality,
            observation is null ? null : Freshness.Age(observation.Ts, now),
            observation is not null && Freshness.IsStale(observation.Ts, now, staleAfter));
    }
}
