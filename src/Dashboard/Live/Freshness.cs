using System.Globalization;
using FacilityHub.Dashboard.Components;
using Microsoft.Extensions.Localization;

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

    /// <summary>"3分前" / "3 min ago": the largest whole unit, in the person's language.</summary>
    public static string AgeText(TimeSpan age, IStringLocalizer<CommonText> text) => age switch
    {
        _ when age < TimeSpan.FromSeconds(10) => text["Age_JustNow"],
        _ when age < TimeSpan.FromMinutes(1) => text["Age_Seconds", Whole(age.TotalSeconds)],
        _ when age < TimeSpan.FromHours(1) => text["Age_Minutes", Whole(age.TotalMinutes)],
        _ when age < TimeSpan.FromDays(1) => text["Age_Hours", Whole(age.TotalHours)],
        _ => text["Age_Days", Whole(age.TotalDays)],
    };

    /// <summary>The time in Japan, for a tooltip: 2026-11-23 10:15:00 JST.</summary>
    public static string JapanTime(DateTimeOffset at) =>
        at.ToOffset(JapanOffset).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " JST";

    private static string Whole(double value) => Math.Floor(value).ToString("0", CultureInfo.InvariantCulture);
}
