using FacilityHub.Contracts.Messages;

namespace FacilityHub.Dashboard.Weather;

/// <summary>What a weather icon shows. <see cref="WeatherIcon.Code"/> gives each a stable, unlocalised name.</summary>
public enum WeatherCondition
{
    /// <summary>The elements needed to say anything are missing.</summary>
    Unknown,
    Clear,
    Cloudy,
    Fog,
    Windy,
    Rain,
    HeavyRain,
    Storm,
}

/// <summary>
/// One icon for one observation, derived from what our stations measure (rain, wind, humidity): they have no
/// sky camera or sunshine recorder, so "clear" and "cloudy" are inferences from humidity, and the icon says
/// nothing about day or night.
/// </summary>
/// <remarks>
/// The first rule that holds wins, most dangerous first, because the icon is a glance at whether it is safe to be
/// outside: heavy rain (floods, landslides) before storm wind, storm wind before ordinary rain. A rule whose
/// elements are missing is skipped; the dry conditions (fog, cloudy, clear) are only claimed when rainfall and
/// humidity are known, since otherwise it might be raining.
/// </remarks>
public static class WeatherIcon
{
    /// <summary>JMA's やや強い雨 (rather heavy rain) starts at 10 mm in an hour: puddles everywhere, the ground loud with it.</summary>
    public const double HeavyRain1hMm = 10;

    /// <summary>3 mm in 10 minutes is 18 mm/h (JMA's 強い雨 starts at 20): heavy rain now, before the hourly total shows it.</summary>
    public const double HeavyRain10mMm = 3;

    /// <summary>JMA's 強い風 (strong wind) starts at a mean of 15 m/s: one cannot walk against it, people fall.</summary>
    public const double StormMeanMs = 15;

    /// <summary>
    /// Gusts, not the mean, topple people and tear things loose; 20 m/s is where JMA's 非常に強い風 begins, and a
    /// gust reaches it while the 10-minute mean is still below <see cref="StormMeanMs"/>.
    /// </summary>
    public const double StormGustMs = 20;

    /// <summary>Beaufort 5 (疾風, fresh breeze) starts at 8 m/s: umbrellas become hard to use, small trees sway.</summary>
    public const double WindyMeanMs = 8;

    /// <summary>Fog and mist form when the air is close to saturation…</summary>
    public const double FogHumidityPct = 95;

    /// <summary>…and the wind is too light to mix them away: Beaufort 2 (軽風) or less.</summary>
    public const double FogMaxWindMs = 3;

    /// <summary>Relative humidity this high at ground level usually comes with a low, overcast sky.</summary>
    public const double CloudyHumidityPct = 80;

    public static WeatherCondition Derive(WeatherObservation observation)
    {
        ArgumentNullException.ThrowIfNull(observation);
        var rain10m = Known(observation.Rain10mMm);
        var rain1h = Known(observation.Rain1hMm);
        var mean = Known(observation.WindSpeedMs);
        var gust = Known(observation.GustMs);
        var humidity = Known(observation.HumidityPct);
        var rainKnown = rain10m is not null || rain1h is not null;

        if (rain1h >= HeavyRain1hMm || rain10m >= HeavyRain10mMm)
        {
            return WeatherCondition.HeavyRain;
        }
        if (mean >= StormMeanMs || gust >= StormGustMs)
        {
            return WeatherCondition.Storm;
        }
        // Rain in the last hour that has stopped in the last 10 minutes still counts: the streets are wet.
        if (rain10m > 0 || rain1h > 0)
        {
            return WeatherCondition.Rain;
        }
        if (mean >= WindyMeanMs)
        {
            return WeatherCondition.Windy;
        }
        if (!rainKnown || humidity is not { } rh)
        {
            return WeatherCondition.Unknown;
        }
        if (rh >= FogHumidityPct && mean < FogMaxWindMs)
        {
            return WeatherCondition.Fog;
        }
        return rh >= CloudyHumidityPct ? WeatherCondition.Cloudy : WeatherCondition.Clear;
    }

    /// <summary>A stable name for CSS classes, test ids and resource keys: "heavy-rain", "clear", "unknown"…</summary>
    public static string Code(WeatherCondition condition) => condition switch
    {
        WeatherCondition.Clear => "clear",
        WeatherCondition.Cloudy => "cloudy",
        WeatherCondition.Fog => "fog",
        WeatherCondition.Windy => "windy",
        WeatherCondition.Rain => "rain",
        WeatherCondition.HeavyRain => "heavy-rain",
        WeatherCondition.Storm => "storm",
        _ => "unknown",
    };

    // A NaN or infinite reading is a broken sensor, not a measurement.
    private static double? Known(double? value) => value is { } v && double.IsFinite(v) ? v : null;
}
