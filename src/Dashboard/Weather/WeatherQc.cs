using FacilityHub.Contracts.Live;
using FacilityHub.Contracts.Messages;
using FacilityHub.Contracts.Quality;

namespace FacilityHub.Dashboard.Weather;

/// <summary>A stretch of history whose points all carry the same quality flag.</summary>
public sealed record FlaggedInterval(DateTimeOffset From, DateTimeOffset To, QualityFlag Flag);

/// <summary>
/// What the weather views make of the hub's quality control (the hub judges, the page only shows): which values
/// carry a mark, under which stable names, and which history intervals to list under a chart.
/// </summary>
public static class WeatherQc
{
    /// <summary>The flags a person is shown, most severe first, as the legend lists them.</summary>
    public static IReadOnlyList<QualityFlag> Shown { get; } =
        [QualityFlag.OutOfRange, QualityFlag.Jump, QualityFlag.Stuck, QualityFlag.Missing];

    /// <summary>Ok values carry no mark: a mark on every value would hide the ones that matter.</summary>
    public static bool IsMarked(QualityFlag flag) => flag != QualityFlag.Ok;

    /// <summary>
    /// A value one should not act on: implausible, jumped or frozen. A missing value is not doubtful, it is
    /// simply not there (and is already null in the observation).
    /// </summary>
    public static bool IsDoubtful(QualityFlag flag) => flag is QualityFlag.OutOfRange or QualityFlag.Jump or QualityFlag.Stuck;

    /// <summary>The flag's wire name ("out_of_range", "jump"…): for data-flag, CSS classes and resource keys.</summary>
    public static string Code(QualityFlag flag) => flag switch
    {
        QualityFlag.Ok => "ok",
        QualityFlag.Missing => "missing",
        QualityFlag.Stuck => "stuck",
        QualityFlag.Jump => "jump",
        QualityFlag.OutOfRange => "out_of_range",
        _ => throw new ArgumentOutOfRangeException(nameof(flag)),
    };

    /// <summary>The element's part of the page's test ids, <c>wx-{station}-{element}-qc</c>.</summary>
    public static string ElementCode(WeatherElement element) => element switch
    {
        WeatherElement.TemperatureC => "temp",
        WeatherElement.HumidityPct => "humidity",
        WeatherElement.PressureHpa => "pressure",
        WeatherElement.WindSpeedMs => "wind",
        WeatherElement.WindDirDeg => "wind-dir",
        WeatherElement.GustMs => "gust",
        WeatherElement.Rain10mMm => "rain10m",
        WeatherElement.Rain1hMm => "rain1h",
        WeatherElement.Rain24hMm => "rain24h",
        _ => throw new ArgumentOutOfRangeException(nameof(element)),
    };

    /// <summary>The element's flag; ok when there is no verdict (a station that has not reported, or an older hub).</summary>
    public static QualityFlag Of(WeatherQuality? quality, WeatherElement element) => quality?.Of(element) ?? QualityFlag.Ok;

    /// <summary>
    /// The observation without its doubtful values, for what the page derives from several of them (the weather
    /// icon): one stuck rain gauge or a spike must not turn the icon to heavy rain.
    /// </summary>
    public static WeatherObservation Trusted(WeatherObservation observation, WeatherQuality? quality)
    {
        ArgumentNullException.ThrowIfNull(observation);
        if (quality is null)
        {
            return observation;
        }
        double? Keep(WeatherElement e) => IsDoubtful(quality.Of(e)) ? null : observation.Value(e);
        return observation with
        {
            TemperatureC = Keep(WeatherElement.TemperatureC),
            HumidityPct = Keep(WeatherElement.HumidityPct),
            PressureHpa = Keep(WeatherElement.PressureHpa),
            WindSpeedMs = Keep(WeatherElement.WindSpeedMs),
            WindDirDeg = Keep(WeatherElement.WindDirDeg),
            GustMs = Keep(WeatherElement.GustMs),
            Rain10mMm = Keep(WeatherElement.Rain10mMm),
            Rain1hMm = Keep(WeatherElement.Rain1hMm),
            Rain24hMm = Keep(WeatherElement.Rain24hMm),
        };
    }

    /// <summary>
    /// The doubtful points of one series as intervals to list under its chart. Points with the same flag make one
    /// interval, which runs to the end of its last point's aggregation interval (<paramref name="interval"/>); only a
    /// value with another verdict ends it, not an interval without a value, so a sensor stuck across a few gaps is one
    /// line rather than one per reading. Missing intervals are not listed: the chart already shows them as gaps in
    /// its line, and listing every gap would bury the few doubtful values.
    /// </summary>
    public static IReadOnlyList<FlaggedInterval> Intervals(IReadOnlyList<HistoryPoint> points, TimeSpan interval)
    {
        ArgumentNullException.ThrowIfNull(points);
        var result = new List<FlaggedInterval>();
        FlaggedInterval? open = null;
        foreach (var p in points.OrderBy(p => p.T))
        {
            if (p.V is null)
            {
                continue;
            }
            var flag = p.Q ?? QualityFlag.Ok;
            if (open is not null && flag != open.Flag)
            {
                result.Add(open);
                open = null;
            }
            if (IsDoubtful(flag))
            {
                open = open is null ? new FlaggedInterval(p.T, p.T + interval, flag) : open with { To = p.T + interval };
            }
        }
        if (open is not null)
        {
            result.Add(open);
        }
        return result;
    }
}
