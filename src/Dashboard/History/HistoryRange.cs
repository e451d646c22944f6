using System.Globalization;

namespace FacilityHub.Dashboard.History;

/// <summary>
/// A span of history ending now, as the views offer it: the last hour, day or week. <see cref="Code"/> is stable
/// and unlocalised (for a query string or a test id); the page localises the label.
/// </summary>
public sealed record HistoryRange(string Code, TimeSpan Length)
{
    /// <summary>The shortest interval asked of the hub: the stations and agents report about once a minute.</summary>
    public static readonly TimeSpan MinInterval = TimeSpan.FromMinutes(1);

    public static readonly HistoryRange Hour = new("1h", TimeSpan.FromHours(1));

    public static readonly HistoryRange Day = new("24h", TimeSpan.FromHours(24));

    public static readonly HistoryRange Week = new("7d", TimeSpan.FromDays(7));

    public static IReadOnlyList<HistoryRange> Presets { get; } = [Hour, Day, Week];

    /// <summary>One of <see cref="Presets"/> by its <see cref="Code"/>; for <c>?range=24h</c>.</summary>
    public static bool TryParse(string? code, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out HistoryRange? range)
    {
        range = Presets.FirstOrDefault(p => p.Code == code);
        return range is not null;
    }

    /// <summary>
    /// The aggregation interval that gives about one point per pixel of a chart <paramref name="width"/> wide:
    /// <c>max(1 minute, Length / width)</c>, rounded up to a whole minute so InfluxQL's <c>GROUP BY time()</c>
    /// buckets fall on round times and the hub never returns more points than the chart has pixels.
    /// </summary>
    public TimeSpan IntervalFor(int width)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        var perPixel = Length / width;
        if (perPixel <= MinInterval)
        {
            return MinInterval;
        }
        return TimeSpan.FromMinutes(Math.Ceiling(perPixel.TotalMinutes));
    }

    /// <summary><paramref name="interval"/> as the hub's <c>interval=</c> parameter: whole minutes as "5m", else whole seconds as "90s".</summary>
    public static string ToQuery(TimeSpan interval)
    {
        var seconds = (long)Math.Ceiling(interval.TotalSeconds);
        ArgumentOutOfRangeException.ThrowIfLessThan(seconds, 1, nameof(interval));
        return seconds % 60 == 0
            ? (seconds / 60).ToString(CultureInfo.InvariantCulture) + "m"
            : seconds.ToString(CultureInfo.InvariantCulture) + "s";
    }
}
