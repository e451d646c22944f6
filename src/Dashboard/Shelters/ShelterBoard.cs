using FacilityHub.Contracts.Crowding;
using FacilityHub.Contracts.Live;
using FacilityHub.Contracts.Sites;
using FacilityHub.Dashboard.Live;

namespace FacilityHub.Dashboard.Shelters;

/// <summary>One shelter as the shelter table shows it. Report fields are null until the shelter has reported.</summary>
public sealed record ShelterRow(
    string ShelterId,
    string NameJa,
    string? NameEn,
    string? DistrictJa,
    string? DistrictEn,
    int? Capacity,
    bool? Open,
    bool? Accepting,
    int? Occupancy,
    double? OccupancyPct,
    CrowdingLevel? Level,
    DateTimeOffset? ReportedAt,
    TimeSpan? Age,
    bool Stale,
    double? Lat = null,
    double? Lon = null)
{
    public bool HasReport => ReportedAt is not null;

    /// <summary>The name in the person's language: the English one when asked for and known, else the Japanese.</summary>
    public string Name(bool english) => english && !string.IsNullOrEmpty(NameEn) ? NameEn : NameJa;

    public string? District(bool english) => english && !string.IsNullOrEmpty(DistrictEn) ? DistrictEn : DistrictJa;

    /// <summary>People it can still take: none when closed or when staff have marked it 満 (not accepting).</summary>
    public int Remaining => Open == true && Accepting == true && Capacity is { } c ? Math.Max(0, c - (Occupancy ?? 0)) : 0;
}

/// <summary>
/// The figures at the top of the shelter page. <see cref="Crowded"/> and <see cref="Full"/> count shelters at
/// 混雑 and 満 by their last report (a stale one included, as its level is still the best we know; the page shows
/// <see cref="Stale"/> beside them).
/// </summary>
public sealed record ShelterTotals(int Evacuees, int Open, int Shelters, int CapacityRemaining, int Reporting, int Stale, int Crowded = 0, int Full = 0)
{
    /// <summary>What HQ reads out as "混雑・満": shelters that should not be sent more people without a check.</summary>
    public int CrowdedOrFull => Crowded + Full;
}

public static class ShelterBoard
{
    /// <summary>Every shelter in the registry, in registry order, then any the hub reports that the registry lacks.</summary>
    public static IReadOnlyList<ShelterRow> Build(SiteRegistry? registry, IEnumerable<ShelterState> states, DateTimeOffset now, TimeSpan staleAfter)
    {
        var byId = states.GroupBy(s => s.ShelterId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.MaxBy(s => s.Report.Ts)!, StringComparer.Ordinal);
        var rows = new List<ShelterRow>();
        foreach (var site in registry?.OfKind(SiteKind.Shelter) ?? [])
        {
            rows.Add(Row(registry, site, byId.Remove(site.Id, out var state) ? state : null, now, staleAfter));
        }
        foreach (var state in byId.Values.OrderBy(s => s.ShelterId, StringComparer.Ordinal))
        {
            rows.Add(Row(registry, null, state, now, staleAfter));
        }
        return rows;
    }

    /// <summary>
    /// Evacuees and open shelters count every report we have, stale ones included (their number is still the
    /// best we know; the page shows how many are stale beside it). Remaining capacity counts only open
    /// shelters that are accepting people.
    /// </summary>
    public static ShelterTotals Totals(IReadOnlyCollection<ShelterRow> rows) => new(
        Evacuees: rows.Where(r => r.Open == true).Sum(r => r.Occupancy ?? 0),
        Open: rows.Count(r => r.Open == true),
        Shelters: rows.Count,
        CapacityRemaining: rows.Sum(r => r.Remaining),
        Reporting: rows.Count(r => r.HasReport),
        Stale: rows.Count(r => r.Stale),
        Crowded: rows.Count(r => r.Open == true && r.Level == CrowdingLevel.Crowded),
        Full: rows.Count(r => r.Open == true && r.Level == CrowdingLevel.Full));

    private static ShelterRow Row(SiteRegistry? registry, Site? site, ShelterState? state, DateTimeOffset now, TimeSpan staleAfter)
    {
        var id = site?.Id ?? state!.ShelterId;
        if (site is null)
        {
            _ = registry?.TryGetSite(id, out site);
        }
        District? district = null;
        if (site is not null)
        {
            _ = registry?.TryGetDistrict(site.District, out district);
        }
        var report = state?.Report;
        return new ShelterRow(
            ShelterId: id,
            NameJa: site?.NameJa ?? id,
            NameEn: site?.NameEn,
            DistrictJa: district?.NameJa ?? site?.District,
            DistrictEn: district?.NameEn,
            Capacity: state?.Capacity ?? site?.Capacity,
            Open: report?.Open,
            Accepting: report?.Accepting,
            Occupancy: report?.Occupancy,
            OccupancyPct: state?.OccupancyPct,
            Level: state?.Level,
            ReportedAt: report?.Ts,
            Age: report is null ? null : Freshness.Age(report.Ts, now),
            Stale: report is not null && Freshness.IsStale(report.Ts, now, staleAfter),
            Lat: site?.Lat,
            Lon: site?.Lon);
    }
}
