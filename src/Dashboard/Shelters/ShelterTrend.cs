using System.Globalization;
using System.Text;
using FacilityHub.Contracts.Live;
using Microsoft.Extensions.Localization;

namespace FacilityHub.Dashboard.Shelters;

public enum TrendDirection
{
    Down,
    Flat,
    Up,
}

/// <summary>How many people came or went over <see cref="Over"/> (the last hour, or less when the history is shorter).</summary>
public sealed record TrendChange(int Delta, TimeSpan Over)
{
    public TrendDirection Direction => Delta switch
    {
        > 0 => TrendDirection.Up,
        < 0 => TrendDirection.Down,
        _ => TrendDirection.Flat,
    };

    /// <summary>Drawn beside the figure; the page adds the direction in words for screen readers.</summary>
    public string Arrow => Direction switch
    {
        TrendDirection.Up => "↑",
        TrendDirection.Down => "↓",
        _ => "→",
    };

    /// <summary>"+35（1時間）" / "+35 in 1 h": the change and the time it took, whole hours when it is whole hours.</summary>
    public string Describe(IStringLocalizer<ShelterText> text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var minutes = (int)Math.Round(Over.TotalMinutes);
        var over = minutes % 60 == 0
            ? text["Trend_Hours", (minutes / 60).ToString(CultureInfo.InvariantCulture)]
            : text["Trend_Minutes", minutes.ToString(CultureInfo.InvariantCulture)];
        return text["Trend_Change", SignedDelta, over];
    }

    /// <summary>"+35", "-12", "0": always signed, so a figure read aloud says which way it went.</summary>
    public string SignedDelta => Delta > 0
        ? "+" + Delta.ToString(CultureInfo.InvariantCulture)
        : Delta.ToString(CultureInfo.InvariantCulture);
}

/// <summary>
/// A shelter's occupancy over the last hours, from the hub's history (one value per interval): the points for a
/// sparkline and the change over the last hour.
/// </summary>
public sealed record ShelterTrend(IReadOnlyList<HistoryPoint> Points, DateTimeOffset From, DateTimeOffset To)
{
    public const string Field = "occupancy";

    /// <summary>The change the table states in words: "↑ +35 in 1 h".</summary>
    public static readonly TimeSpan ChangeWindow = TimeSpan.FromHours(1);

    // A sparkline's vertical scale covers at least this many people, so 100 → 101 does not look like a surge.
    private const double MinSpan = 10;

    /// <summary>The trend in <paramref name="response"/>'s occupancy series, or null when it has no value at all.</summary>
    public static ShelterTrend? FromHistory(HistoryResponse? response)
    {
        var series = response?.Series?.FirstOrDefault(s => s.Field == Field);
        if (response is null || series?.Points is null)
        {
            return null;
        }
        var points = series.Points
            .Where(p => p.V is { } v && double.IsFinite(v))
            .OrderBy(p => p.T)
            .ToList();
        return points.Count == 0 ? null : new ShelterTrend(points, response.From, response.To);
    }

    /// <summary>
    /// Last value minus the earliest value within <see cref="ChangeWindow"/> before it; null with a single point,
    /// where there is nothing to compare.
    /// </summary>
    public TrendChange? Change
    {
        get
        {
            if (Points.Count < 2)
            {
                return null;
            }
            var last = Points[^1];
            var since = last.T - ChangeWindow;
            var first = Points.First(p => p.T >= since);
            if (ReferenceEquals(first, last))
            {
                return null;
            }
            return new TrendChange((int)Math.Round(last.V!.Value - first.V!.Value, MidpointRounding.AwayFromZero), last.T - first.T);
        }
    }

    /// <summary>
    /// SVG polyline points for a sparkline <paramref name="width"/> × <paramref name="height"/>: time runs across the
    /// whole requested range (so a shelter that reported only lately starts part-way), values fill the height.
    /// </summary>
    public string SparkPoints(double width, double height)
    {
        var min = Points.Min(p => p.V!.Value);
        var max = Points.Max(p => p.V!.Value);
        if (max - min < MinSpan)
        {
            var middle = (max + min) / 2;
            min = middle - MinSpan / 2;
            max = middle + MinSpan / 2;
        }
        var span = (To - From).TotalSeconds;
        var sb = new StringBuilder();
        foreach (var p in Points)
        {
            var x = span > 0 ? Math.Clamp((p.T - From).TotalSeconds / span, 0, 1) * width : width;
            // One pixel of margin top and bottom so the stroke is not clipped at the extremes.
            var y = 1 + (1 - (p.V!.Value - min) / (max - min)) * (height - 2);
            if (sb.Length > 0)
            {
                sb.Append(' ');
            }
            sb.Append(x.ToString("0.#", CultureInfo.InvariantCulture)).Append(',').Append(y.ToString("0.#", CultureInfo.InvariantCulture));
        }
        return sb.ToString();
    }
}
