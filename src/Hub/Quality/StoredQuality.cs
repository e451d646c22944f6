using FacilityHub.Contracts.Quality;

namespace FacilityHub.Hub.Quality;

/// <summary>
/// How quality flags live in InfluxDB: beside each weather field <c>x</c>, an integer field <c>x_qc</c> with
/// a severity code (1 stuck, 2 jump, 3 out_of_range), so <c>max()</c> over an interval gives its worst.
/// Absent when the value was ok, and when it was missing (then the value field is absent too, which
/// already says so): ok data, the vast majority, costs nothing.
/// </summary>
public static class StoredQuality
{
    private static readonly string[] ValueFields =
        ["temperature_c", "humidity_pct", "pressure_hpa", "wind_speed_ms", "wind_dir_deg", "gust_ms", "rain_10m_mm", "rain_1h_mm", "rain_24h_mm"];

    private static readonly string[] QualityFields = [.. ValueFields.Select(f => f + "_qc")];

    /// <summary>The element's field in measurement <c>weather</c> (PROTOCOL.md).</summary>
    public static string Field(WeatherElement element) => ValueFields[(int)element];

    /// <summary>The field holding the element's quality code.</summary>
    public static string QualityField(WeatherElement element) => QualityFields[(int)element];

    public static string QualityField(string valueField) => valueField + "_qc";

    /// <summary>The code stored for <paramref name="flag"/>, null for ok and missing (no field).</summary>
    public static long? Code(QualityFlag flag) => flag switch
    {
        QualityFlag.Stuck => 1,
        QualityFlag.Jump => 2,
        QualityFlag.OutOfRange => 3,
        _ => null,
    };

    /// <summary>The flag for a stored code; an unknown code (a newer hub's) reads as the worst known.</summary>
    public static QualityFlag FromCode(long code) => code switch
    {
        <= 0 => QualityFlag.Ok,
        1 => QualityFlag.Stuck,
        2 => QualityFlag.Jump,
        _ => QualityFlag.OutOfRange,
    };
}
