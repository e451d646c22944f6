using FacilityHub.Contracts.Live;

namespace FacilityHub.Dashboard.Components.Charts;

/// <summary>From the hub's points to the runs of points a chart joins with a line.</summary>
public static class SeriesPoints
{
    /// <summary>
    /// How far apart two neighbouring points may be, in intervals, and still be joined. The hub omits an interval
    /// with no data rather than sending it empty, so a missing interval shows up as a double-length step.
    /// </summary>
    public const double MaxJoinedIntervals = 1.5;

    /// <summary>
    /// Whether a point is drawn; one that is not breaks the line. The one place to decide it: when
    /// <see cref="HistoryPoint"/> gains a quality flag, a point flagged bad becomes a gap here (and a suspect one
    /// can be drawn with a mark by <see cref="TimeChart"/>), without touching the scale, downsampling or layout.
    /// </summary>
    public static bool IsDrawn(HistoryPoint point) => point.V is { } v && double.IsFinite(v);

    /// <summary>
    /// The points from <paramref name="from"/> to <paramref name="to"/> in time order, with a gap point (V null)
    /// inserted wherever two neighbours are more than <see cref="MaxJoinedIntervals"/> intervals apart.
    /// Without an <paramref name="interval"/> only explicit nulls are gaps.
    /// </summary>
    public static List<HistoryPoint> Prepare(IReadOnlyList<HistoryPoint> points, DateTimeOffset from, DateTimeOffset to, TimeSpan? interval)
    {
        ArgumentNullException.ThrowIfNull(points);
        var inRange = points.Where(p => p.T >= from && p.T <= to).OrderBy(p => p.T).ToList();
        if (interval is not { } step || step <= TimeSpan.Zero)
        {
            return inRange;
        }
        var prepared = new List<HistoryPoint>(inRange.Count);
        for (var i = 0; i < inRange.Count; i++)
        {
            if (i > 0 && inRange[i].T - inRange[i - 1].T > step * MaxJoinedIntervals)
            {
                prepared.Add(new HistoryPoint(inRange[i - 1].T + step, null));
            }
            prepared.Add(inRange[i]);
        }
        return prepared;
    }

    /// <summary>The maximal runs of drawn points, in order; a run of one is a lone value the chart shows as a dot.</summary>
    public static List<IReadOnlyList<HistoryPoint>> Runs(IReadOnlyList<HistoryPoint> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        var runs = new List<IReadOnlyList<HistoryPoint>>();
        List<HistoryPoint>? run = null;
        foreach (var p in points)
        {
            if (IsDrawn(p))
            {
                (run ??= []).Add(p);
            }
            else if (run is not null)
            {
                runs.Add(run);
                run = null;
            }
        }
        if (run is not null)
        {
            runs.Add(run);
        }
        return runs;
    }
}
