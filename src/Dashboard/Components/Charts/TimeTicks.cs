using System.Globalization;
using FacilityHub.Dashboard.Live;

namespace FacilityHub.Dashboard.Components.Charts;

public readonly record struct TimeTick(DateTimeOffset At, string Label);

/// <summary>
/// Time-axis ticks on round Japan times (Asia/Tokyo, the city's clock whatever the server's): every 10 minutes on
/// the hour's tens, every 6 hours from midnight, every day at midnight. Labelled HH:mm for a range of up to a day
/// and M/d beyond, where the hour would mean little.
/// </summary>
public static class TimeTicks
{

    // Every sub-day step divides a day, so ticks aligned to midnight stay aligned all day.
    private static readonly TimeSpan[] SubDaySteps =
    [
        TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(10),
        TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(30), TimeSpan.FromHours(1), TimeSpan.FromHours(2),
        TimeSpan.FromHours(3), TimeSpan.FromHours(6), TimeSpan.FromHours(12),
    ];

    private static readonly int[] DaySteps = [1, 2, 7, 14, 28];

    /// <summary>At most <paramref name="maxTicks"/> ticks in [<paramref name="from"/>, <paramref name="to"/>], ascending.</summary>
    public static IReadOnlyList<TimeTick> For(DateTimeOffset from, DateTimeOffset to, int maxTicks)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxTicks, 1);
        if (to <= from)
        {
            return [];
        }
        var span = to - from;
        return span <= TimeSpan.FromDays(1) ? SubDay(from, to, maxTicks) : Days(from, to, maxTicks);
    }

    /// <summary>An instant as Japan's wall clock shows it.</summary>
    public static DateTimeOffset InJapan(DateTimeOffset t) => t.ToOffset(Freshness.JapanOffset);

    private static List<TimeTick> SubDay(DateTimeOffset from, DateTimeOffset to, int maxTicks)
    {
        var span = to - from;
        var step = SubDaySteps.FirstOrDefault(s => span / s < maxTicks, SubDaySteps[^1]);
        var local = InJapan(from);
        var midnight = new DateTimeOffset(local.Date, local.Offset);
        var sinceMidnight = local - midnight;
        var first = midnight + step * Math.Ceiling(sinceMidnight / step);
        var ticks = new List<TimeTick>();
        for (var t = first; t <= to && ticks.Count < maxTicks; t += step)
        {
            var at = InJapan(t);
            ticks.Add(new TimeTick(at, at.ToString("HH:mm", CultureInfo.InvariantCulture)));
        }
        return ticks;
    }

    private static List<TimeTick> Days(DateTimeOffset from, DateTimeOffset to, int maxTicks)
    {
        var span = to - from;
        var days = DaySteps.FirstOrDefault(d => span / TimeSpan.FromDays(d) < maxTicks, DaySteps[^1]);
        var local = InJapan(from);
        var day = DateOnly.FromDateTime(local.Date);
        if (local.TimeOfDay > TimeSpan.Zero)
        {
            day = day.AddDays(1);
        }
        // Multi-day ticks fall on days counted from a fixed origin, so they do not hop as the range slides.
        var offset = (days - (day.DayNumber % days)) % days;
        day = day.AddDays(offset);
        var ticks = new List<TimeTick>();
        for (; ticks.Count < maxTicks; day = day.AddDays(days))
        {
            var midnight = MidnightInJapan(day);
            if (midnight > to)
            {
                break;
            }
            ticks.Add(new TimeTick(midnight, midnight.ToString("M/d", CultureInfo.InvariantCulture)));
        }
        return ticks;
    }

    private static DateTimeOffset MidnightInJapan(DateOnly day)
    {
        var wall = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        return new DateTimeOffset(wall, Freshness.JapanOffset);
    }
}
