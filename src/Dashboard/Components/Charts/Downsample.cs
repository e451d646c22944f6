using FacilityHub.Contracts.Live;

namespace FacilityHub.Dashboard.Components.Charts;

/// <summary>
/// Thins a series that has more points than the chart has pixels, keeping each bucket's lowest and highest point
/// so that a one-interval spike (a burst of clients, a gust) is still drawn; averaging would flatten it away.
/// </summary>
public static class Downsample
{
    /// <summary>
    /// At most two drawn points per bucket, plus one gap point where the bucket held one, in time order; a subset
    /// of <paramref name="points"/>. A series of at most 2 × <paramref name="buckets"/> points is returned as it is.
    /// </summary>
    /// <remarks>
    /// Buckets are equal runs of points rather than equal spans of time: the hub's points are one per interval,
    /// so the two are the same, and runs need no clock arithmetic.
    /// </remarks>
    public static IReadOnlyList<HistoryPoint> MinMax(IReadOnlyList<HistoryPoint> points, int buckets)
    {
        ArgumentNullException.ThrowIfNull(points);
        ArgumentOutOfRangeException.ThrowIfLessThan(buckets, 1);
        if (points.Count <= 2 * buckets)
        {
            return points;
        }
        var kept = new List<HistoryPoint>(3 * buckets);
        for (var b = 0; b < buckets; b++)
        {
            var start = (int)((long)b * points.Count / buckets);
            var end = (int)((long)(b + 1) * points.Count / buckets);
            int min = -1, max = -1, gap = -1;
            for (var i = start; i < end; i++)
            {
                if (!SeriesPoints.IsDrawn(points[i]))
                {
                    gap = gap < 0 ? i : gap;
                    continue;
                }
                var v = points[i].V!.Value;
                if (min < 0 || v < points[min].V!.Value)
                {
                    min = i;
                }
                if (max < 0 || v > points[max].V!.Value)
                {
                    max = i;
                }
            }
            // The gap keeps its place between the extremes, so the line still breaks where the data did.
            Span<int> picked = [min, max, gap];
            picked.Sort();
            var previous = -1;
            foreach (var i in picked)
            {
                if (i >= 0 && i != previous)
                {
                    kept.Add(points[i]);
                    previous = i;
                }
            }
        }
        return kept;
    }
}
