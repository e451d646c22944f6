using FacilityHub.Contracts.Live;
using FacilityHub.Contracts.Messages;
using FacilityHub.Contracts.Sites;
using FacilityHub.Dashboard.Live;

namespace FacilityHub.Dashboard.Aps;

public enum ApCondition
{
    Down,
    Up,

    /// <summary>In the registry, but the hub has no report from it.</summary>
    NoData,
}

/// <summary>One access point as the AP grid shows it.</summary>
public sealed record ApRow(
    string ApId,
    string SiteId,
    string SiteNameJa,
    string? SiteNameEn,
    string? Floor,
    string? Label,
    ApCondition Condition,
    int? Clients2g,
    int? Clients5g,
    double? Util2gPct,
    double? Util5gPct,
    DateTimeOffset? ReportedAt,
    TimeSpan? Age,
    bool Stale)
{
    public int? TotalClients => Clients2g is null && Clients5g is null ? null : (Clients2g ?? 0) + (Clients5g ?? 0);

    /// <summary>The busier band: what the grid sorts by.</summary>
    public double? MaxUtilPct => (Util2gPct, Util5gPct) switch
    {
        ({ } a, { } b) => Math.Max(a, b),
        ({ } a, null) => a,
        (null, { } b) => b,
        _ => null,
    };
}

public sealed record ApSummary(int Total, int Up, int Down, int NoData, int Stale, int Clients);

public static class ApBoard
{
    /// <summary>Every AP in the registry plus any the hub reports that the registry lacks, worst first.</summary>
    public static IReadOnlyList<ApRow> Build(SiteRegistry? registry, IEnumerable<ApState> states, DateTimeOffset now, TimeSpan staleAfter)
    {
        var byId = states.GroupBy(s => s.ApId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.MaxBy(s => s.Sample.Ts)!, StringComparer.Ordinal);
        var rows = new List<ApRow>(byId.Count + (registry?.AccessPoints.Count ?? 0));
        foreach (var ap in registry?.AccessPoints ?? [])
        {
            rows.Add(Row(registry, ap, byId.Remove(ap.Id, out var state) ? state : null, now, staleAfter));
        }
        foreach (var state in byId.Values)
        {
            rows.Add(Row(registry, null, state, now, staleAfter));
        }
        rows.Sort(CompareWorstFirst);
        return rows;
    }

    /// <summary>Down first, then by the busier band's channel utilisation, highest first; APs never heard from last.</summary>
    public static int CompareWorstFirst(ApRow? x, ApRow? y)
    {
        if (ReferenceEquals(x, y))
        {
            return 0;
        }
        if (x is null || y is null)
        {
            return x is null ? 1 : -1;
        }
        var byCondition = Rank(x.Condition).CompareTo(Rank(y.Condition));
        if (byCondition != 0)
        {
            return byCondition;
        }
        // An up AP that has not reported utilisation sorts after those that have.
        var byUtil = (y.MaxUtilPct ?? double.MinValue).CompareTo(x.MaxUtilPct ?? double.MinValue);
        if (byUtil != 0)
        {
            return byUtil;
        }
        var bySite = string.CompareOrdinal(x.SiteId, y.SiteId);
        return bySite != 0 ? bySite : string.CompareOrdinal(x.ApId, y.ApId);
    }

    public static ApSummary Summarize(IReadOnlyCollection<ApRow> rows) => new(
        rows.Count,
        rows.Count(r => r.Condition == ApCondition.Up),
        rows.Count(r => r.Condition == ApCondition.Down),
        rows.Count(r => r.Condition == ApCondition.NoData),
        rows.Count(r => r.Stale),
        rows.Where(r => r.Condition == ApCondition.Up).Sum(r => r.TotalClients ?? 0));

    private static int Rank(ApCondition condition) => condition switch
    {
        ApCondition.Down => 0,
        ApCondition.Up => 1,
        _ => 2,
    };

    private static ApRow Row(SiteRegistry? registry, AccessPoint? ap, ApState? state, DateTimeOffset now, TimeSpan staleAfter)
    {
        var siteId = state?.SiteId ?? ap!.Site;
        ap ??= registry is not null && state is not null && registry.TryGetAccessPoint(state.ApId, out var known) ? known : null;
        Site? site = null;
        _ = registry?.TryGetSite(siteId, out site);
        var sample = state?.Sample;
        return new ApRow(
            ApId: state?.ApId ?? ap!.Id,
            SiteId: siteId,
            SiteNameJa: site?.NameJa ?? siteId,
            SiteNameEn: site?.NameEn,
            Floor: ap?.Floor,
            Label: ap?.Label,
            Condition: sample is null ? ApCondition.NoData : sample.Status == ApStatus.Down ? ApCondition.Down : ApCondition.Up,
            Clients2g: sample?.Clients2g,
            Clients5g: sample?.Clients5g,
            Util2gPct: sample?.ChannelUtil2gPct,
            Util5gPct: sample?.ChannelUtil5gPct,
            ReportedAt: sample?.Ts,
            Age: sample is null ? null : Freshness.Age(sample.Ts, now),
            Stale: sample is not null && Freshness.IsStale(sample.Ts, now, staleAfter));
    }
}
