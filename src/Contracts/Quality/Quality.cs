using System.Text.Json.Serialization;
using FacilityHub.Contracts.Messages;

namespace FacilityHub.Contracts.Quality;

/// <summary>
/// The hub's quality control verdict on one weather value. Declared from least to most severe, so the
/// worse of two flags is the larger: when several checks fail the value shows the worst,
/// <c>out_of_range &gt; jump &gt; stuck &gt; missing &gt; ok</c>. An implausible value matters more than how
/// it got there, and a value that is there, however doubtful, says more than one that is not.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<QualityFlag>))]
public enum QualityFlag
{
    /// <summary>Passed every check.</summary>
    [JsonStringEnumMemberName("ok")] Ok,

    /// <summary>Absent from the observation (a broken sensor), or the station has gone silent.</summary>
    [JsonStringEnumMemberName("missing")] Missing,

    /// <summary>The same value for longer than the element plausibly stays constant.</summary>
    [JsonStringEnumMemberName("stuck")] Stuck,

    /// <summary>Changed from the previous value faster than the weather plausibly does.</summary>
    [JsonStringEnumMemberName("jump")] Jump,

    /// <summary>Physically possible, but outside what is plausible for this city.</summary>
    [JsonStringEnumMemberName("out_of_range")] OutOfRange,
}

/// <summary>The elements of a weather observation (PROTOCOL.md), named as in its payload.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<WeatherElement>))]
public enum WeatherElement
{
    [JsonStringEnumMemberName("temperatureC")] TemperatureC,
    [JsonStringEnumMemberName("humidityPct")] HumidityPct,
    [JsonStringEnumMemberName("pressureHpa")] PressureHpa,
    [JsonStringEnumMemberName("windSpeedMs")] WindSpeedMs,
    [JsonStringEnumMemberName("windDirDeg")] WindDirDeg,
    [JsonStringEnumMemberName("gustMs")] GustMs,
    [JsonStringEnumMemberName("rain10mMm")] Rain10mMm,
    [JsonStringEnumMemberName("rain1hMm")] Rain1hMm,
    [JsonStringEnumMemberName("rain24hMm")] Rain24hMm,
}

public static class WeatherElements
{
    /// <summary>Every element, in declaration order (which is also each one's index).</summary>
    public static IReadOnlyList<WeatherElement> All { get; } =
    [
        WeatherElement.TemperatureC, WeatherElement.HumidityPct, WeatherElement.PressureHpa,
        WeatherElement.WindSpeedMs, WeatherElement.WindDirDeg, WeatherElement.GustMs,
        WeatherElement.Rain10mMm, WeatherElement.Rain1hMm, WeatherElement.Rain24hMm,
    ];

    public const int Count = 9;

    /// <summary>The element's value in <paramref name="o"/>, null when the station did not send it.</summary>
    public static double? Value(this WeatherObservation o, WeatherElement element) => element switch
    {
        WeatherElement.TemperatureC => o.TemperatureC,
        WeatherElement.HumidityPct => o.HumidityPct,
        WeatherElement.PressureHpa => o.PressureHpa,
        WeatherElement.WindSpeedMs => o.WindSpeedMs,
        WeatherElement.WindDirDeg => o.WindDirDeg,
        WeatherElement.GustMs => o.GustMs,
        WeatherElement.Rain10mMm => o.Rain10mMm,
        WeatherElement.Rain1hMm => o.Rain1hMm,
        WeatherElement.Rain24hMm => o.Rain24hMm,
        _ => throw new ArgumentOutOfRangeException(nameof(element)),
    };
}

/// <summary>One quality flag per element of a weather observation, as the hub judged it.</summary>
public sealed record WeatherQuality(
    QualityFlag TemperatureC,
    QualityFlag HumidityPct,
    QualityFlag PressureHpa,
    QualityFlag WindSpeedMs,
    QualityFlag WindDirDeg,
    QualityFlag GustMs,
    QualityFlag Rain10mMm,
    QualityFlag Rain1hMm,
    QualityFlag Rain24hMm)
{
    /// <summary>Shared instances: the common verdicts cost no allocation on the ingest path.</summary>
    public static WeatherQuality AllOk { get; } = Uniform(QualityFlag.Ok);

    public static WeatherQuality AllMissing { get; } = Uniform(QualityFlag.Missing);

    public QualityFlag Of(WeatherElement element) => element switch
    {
        WeatherElement.TemperatureC => TemperatureC,
        WeatherElement.HumidityPct => HumidityPct,
        WeatherElement.PressureHpa => PressureHpa,
        WeatherElement.WindSpeedMs => WindSpeedMs,
        WeatherElement.WindDirDeg => WindDirDeg,
        WeatherElement.GustMs => GustMs,
        WeatherElement.Rain10mMm => Rain10mMm,
        WeatherElement.Rain1hMm => Rain1hMm,
        WeatherElement.Rain24hMm => Rain24hMm,
        _ => throw new ArgumentOutOfRangeException(nameof(element)),
    };

    /// <summary>The flags in <see cref="WeatherElement"/> order; returns the shared instances when they match.</summary>
    public static WeatherQuality From(ReadOnlySpan<QualityFlag> flags)
    {
        if (flags.Length != WeatherElements.Count)
        {
            throw new ArgumentException($"expected {WeatherElements.Count} flags, got {flags.Length}", nameof(flags));
        }
        if (!flags.ContainsAnyExcept(QualityFlag.Ok))
        {
            return AllOk;
        }
        if (!flags.ContainsAnyExcept(QualityFlag.Missing))
        {
            return AllMissing;
        }
        return new(flags[0], flags[1], flags[2], flags[3], flags[4], flags[5], flags[6], flags[7], flags[8]);
    }

    private static WeatherQuality Uniform(QualityFlag f) => new(f, f, f, f, f, f, f, f, f);
}
