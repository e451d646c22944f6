using System.Globalization;
using FacilityHub.Dashboard.Components;
using FacilityHub.Dashboard.Live;
using FacilityHub.Dashboard.Localization;

namespace FacilityHub.Dashboard.Weather;

/// <summary>How the weather views write names and values; numbers in invariant digits whatever the culture.</summary>
public static class WeatherFormat
{
    /// <summary>The registry's English name when the person reads English and there is one, else the Japanese.</summary>
    public static string Name(string nameJa, string? nameEn) =>
        CultureInfo.CurrentUICulture.Name == Cultures.English && !string.IsNullOrEmpty(nameEn) ? nameEn : nameJa;

    /// <summary>
    /// A flagged stretch of history in Japan time, as short as stays unambiguous: "11-23 10:15–10:45 JST" within a
    /// day, "11-23 22:00 – 11-24 01:00 JST" across midnight.
    /// </summary>
    public static string Interval(DateTimeOffset from, DateTimeOffset to)
    {
        var a = from.ToOffset(Freshness.JapanOffset);
        var b = to.ToOffset(Freshness.JapanOffset);
        var start = a.ToString("MM-dd HH:mm", CultureInfo.InvariantCulture);
        return a.Date == b.Date
            ? $"{start}–{b.ToString("HH:mm", CultureInfo.InvariantCulture)} JST"
            : $"{start} – {b.ToString("MM-dd HH:mm", CultureInfo.InvariantCulture)} JST";
    }

    public static string Temperature(double? c) => Fmt.Num(c, "0.0");

    /// <summary>Whole percent: station hygrometers are good to a few percent, a decimal would claim more.</summary>
    public static string Humidity(double? pct) => Fmt.Num(pct, "0");

    public static string Pressure(double? hpa) => Fmt.Num(hpa, "0.0");

    public static string Speed(double? ms) => Fmt.Num(ms, "0.0");

    /// <summary>Rain gauges tip at 0.5 mm; one decimal shows every tip.</summary>
    public static string Rain(double? mm) => Fmt.Num(mm, "0.0");
}
