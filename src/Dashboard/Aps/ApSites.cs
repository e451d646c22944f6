using FacilityHub.Contracts.Sites;

namespace FacilityHub.Dashboard.Aps;

/// <summary>What a site's card leads with; the order is the order of urgency.</summary>
public enum SiteAttention
{
    /// <summary>At least one AP's last report says down.</summary>
    Down,

    /// <summary>At least one current AP is over an <see cref="ApHealthOptions"/> limit.</summary>
    Overloaded,

    /// <summary>At least one AP has stopped reporting.</summary>
    Stale,

    Ok,

    /// <summary>No AP of the site has ever reported.</summary>
    NoData,
}

/// <summary>One site's access points as a card of the city overview shows them.</summary>
/// <remarks>
/// <see cref="Clients"/> and the worst utilisations count current, up APs only: a stale AP's last numbers are not
/// shown as today's. <see cref="Down"/> counts every AP whose last report said down, stale or not: nothing has
/// said it came back.
/// </remarks>
public sealed record ApSiteSummary(
    string SiteId,
    string NameJa,
    string? NameEn,
    int Total,
    int Up,
    int Down,
    int Overloaded,
    int Stale,
    int NoData,
    int Clients,
    double? WorstUtil2gPct,
    double? WorstUtil5gPct,
    SiteAttention Attention);

public static class ApSites
{
    /// <summary>
    /// One summary per site that has APs (from <see cref="ApBoard.Build"/>'s rows, so registry APs that never
    /// reported count too), sites that need attention first, then in registry order (the Civic Center leads).
    /// </summary>
    public static IReadOnlyList<ApSiteSummary> Build(SiteRegistry? registry, IEnumerable<ApRow> rows, ApHealthOptions health)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(health);
        var registryOrder = (registry?.Sites ?? []).Select((s, i) => (s.Id, i)).ToDictionary(p => p.Id, p => p.i, StringComparer.Ordinal);
        return rows.GroupBy(r => r.SiteId, StringComparer.Ordinal)
            .Select(g => Summarize(g.Key, g.ToList(), health))
            .OrderBy(s => s.Attention)
            .ThenByDescending(s => s.Down)
            .ThenByDescending(s => s.Overloaded)
            .ThenBy(s => registryOrder.TryGetValue(s.SiteId, out var i) ? i : int.MaxValue)
            .ThenBy(s => s.SiteId, StringComparer.Ordinal)
            .ToList();
    }

    public static ApSiteSummary Summarize(string siteId, IReadOnlyList<ApRow> rows, ApHealthOptions health)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(health);
        var current = rows.Where(r => r.Condition == ApCondition.Up && !r.Stale).ToList();
        var down = rows.Count(r => r.Condition == ApCondition.Down);
        var overloaded = rows.Count(health.IsOverloaded);
        var stale = rows.Count(r => r.Stale);
        var noData = rows.Count(r => r.Condition == ApCondition.NoData);
        var attention = down > 0 ? SiteAttention.Down
            : overloaded > 0 ? SiteAttention.Overloaded
            : stale > 0 ? SiteAttention.Stale
            : noData == rows.Count ? SiteAttention.NoData
            : SiteAttention.Ok;
        var named = rows.FirstOrDefault();
        return new ApSiteSummary(
            siteId,
            named?.SiteNameJa ?? siteId,
            named?.SiteNameEn,
            rows.Count,
            rows.Count(r => r.Condition == ApCondition.Up),
            down,
            overloaded,
            stale,
            noData,
            current.Sum(r => r.TotalClients ?? 0),
            current.Max(r => r.Util2gPct),
            current.Max(r => r.Util5gPct),
            attention);
    }

    /// <summary>
    /// The APs that need someone: down, overloaded or stale, worst first (<see cref="ApBoard.CompareWorstFirst"/>).
    /// </summary>
    public static IReadOnlyList<ApRow> NeedingAttention(IEnumerable<ApRow> rows, ApHealthOptions health)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(health);
        var list = rows.Where(r => r.Condition == ApCondition.Down || r.Stale || health.IsOverloaded(r)).ToList();
        list.Sort(ApBoard.CompareWorstFirst);
        return list;
    }
}
