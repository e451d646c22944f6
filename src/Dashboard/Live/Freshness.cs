using System.Globalization;

namespace FacilityHub.Dashboard.Live;

/// <summary>
/// How old a report is and whether it is stale. Age counts from the report's own <c>ts</c> (when it was
/// measured), not from when it reached the hub: a reading replayed after an outage is old news and is
/// shown as such until a current one arrives.
/// </summary>
public static class Freshness
{
    /// <summary>Japan has had no daylight saving since 1951, so a fixed offset is the local time.</summary>
    public static readonly TimeSpan JapanOffset = TimeSpan.FromHours(9);

    /// <summary>Never negative: an edge clock a little ahead of ours is not a report from the future.</summary>
    public static TimeSpan Age(DateTimeOffset reportedAt, DateTimeOffset now) =>
        now > reportedAt ? now - reportedAt : TimeSpan.Zero;

    public static bool IsStale(DateTimeOffset reportedAt, DateTimeOffset now, TimeSpan staleAfter) =>
        Age(reportedAt, now) >= staleAfter;

    public static string AgeJa(TimeSpan age) => age switch
    {
        _ when age < TimeSpan.FromSeconds(10) => "たった今",
        _ when age < TimeSpan.FromMinutes(1) => $"{Whole(age.TotalSeconds)}秒前",
        _ when age < TimeSpan.FromHours(1) => $"{Whole(age.TotalMinutes)}分前",
        _ when age < TimeSpan.FromDays(1) => $"{Whole(age.TotalHours)}時間前",
        _ => $"{Whole(age.TotalDays)}日前",
    };

    public static string AgeEn(TimeSpan age) => age switch
    {
        _ when age < TimeSpan.FromSeconds(10) => "just now",
        _ when age < TimeSpan.FromMinutes(1) => $"{Whole(age.TotalSeconds)} s ago",
        _ when age < TimeSpan.FromHours(1) => $"{Whole(age.TotalMinutes)} min ago",
        _ when age < TimeSpan.FromDays(1) => $"{Whole(age.TotalHours)} h ago",
        _ => $"{Whole(age.TotalDays)} d ago",
    };

    /// <summary>The time in Japan, for a tooltip: 2026-11-23 10:15:00 JST.</summary>
    public static string JapanTime(DateTimeOffset at) =>
        at.ToOffset(JapanOffset).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " JST";

    private static string Whole(double value) => Math.Floor(value).ToString("0", CultureInfo.InvariantCulture);
}
