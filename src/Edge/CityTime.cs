namespace FacilityHub.Edge;

/// <summary>Hitachi's clock. Japan has no daylight saving time, so a fixed +09:00 offset is exact all year.</summary>
internal static class CityTime
{
    public static readonly TimeSpan Offset = TimeSpan.FromHours(9);

    /// <summary>
    /// The timestamp a device writes: local time, whole milliseconds, because the wire carries ms and
    /// a re-sent message must carry exactly the <c>ts</c> it had the first time.
    /// </summary>
    public static DateTimeOffset Stamp(DateTimeOffset t) =>
        new DateTimeOffset(t.UtcTicks - (t.UtcTicks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero).ToOffset(Offset);

    public static DateTimeOffset Local(DateTimeOffset t) => t.ToOffset(Offset);

    /// <summary>Local hour of day, 0 ≤ h &lt; 24, with fractions.</summary>
    public static double Hour(DateTimeOffset t) => Local(t).TimeOfDay.TotalHours;

    /// <summary>Days since 0001-01-01 in local time: a key that changes at local midnight.</summary>
    public static long DayNumber(DateTimeOffset t) => Local(t).DateTime.Ticks / TimeSpan.TicksPerDay;

    public static bool IsWeekend(DateTimeOffset t) => Local(t).DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday;

    /// <summary>Piecewise-linear curve through (hour, value) points covering 0–24.</summary>
    public static double Curve(ReadOnlySpan<(double Hour, double Value)> points, double hour)
    {
        for (var i = 1; i < points.Length; i++)
        {
            if (hour <= points[i].Hour)
            {
                var (h0, v0) = points[i - 1];
                var (h1, v1) = points[i];
                return h1 <= h0 ? v1 : v0 + ((v1 - v0) * (hour - h0) / (h1 - h0));
            }
        }
        return points[^1].Value;
    }
}
