using FacilityHub.Contracts.Quality;
using FacilityHub.Hub.Configuration;

namespace FacilityHub.Hub.Quality;

/// <summary>
/// Weather quality control (section <c>Quality</c>). The decoder already refuses what is physically
/// impossible; these limits say what is plausible in Hitachi (coastal Ibaraki), so a value outside them is
/// kept and stored but flagged. Defaults are wide enough that Hitachi's records (about −10 to 38 °C,
/// typhoon pressure above 950 hPa) never trip them, yet narrow enough to catch a sensor that is
/// plainly wrong.
/// </summary>
public sealed class QualityOptions : IValidatedOptions
{
    public const string Section = "Quality";

    /// <summary>A station with no observation measured within this long has all its elements shown as missing.</summary>
    public TimeSpan MissingAfter { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>How often the hub looks for stations that have gone silent.</summary>
    public TimeSpan MissingCheckInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The interval each element's <see cref="ElementQualityOptions.MaxStep"/> is given for.</summary>
    public TimeSpan StepInterval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Jump and stuck checks are not carried across a gap in a station's data longer than this: after
    /// an outage the weather may well have changed that much, and nobody saw whether the value did.
    /// </summary>
    public TimeSpan MaxGap { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Two values closer than this count as the same value for the stuck check (well below any sensor's resolution).</summary>
    public double StuckTolerance { get; set; } = 0.001;

    /// <summary>Wind at or below this (m/s) is calm: speed and gust may then stay put, and the vane points anywhere.</summary>
    public double CalmWindMs { get; set; } = 0.2;

    /// <summary>Humidity at or above this (%) is saturated air (fog, steady rain), which can last a day.</summary>
    public double SaturatedHumidityPct { get; set; } = 98;

    public ElementQualityOptions TemperatureC { get; set; } = new() { Min = -25, Max = 42, MaxStep = 4, StuckAfter = TimeSpan.FromHours(6) };

    public ElementQualityOptions HumidityPct { get; set; } = new() { Min = 5, Max = 100, MaxStep = 30, StuckAfter = TimeSpan.FromHours(12) };

    public ElementQualityOptions PressureHpa { get; set; } = new() { Min = 940, Max = 1050, MaxStep = 3, StuckAfter = TimeSpan.FromHours(6) };

    public ElementQualityOptions WindSpeedMs { get; set; } = new() { Min = 0, Max = 50, MaxStep = 10, StuckAfter = TimeSpan.FromHours(2) };

    // A wind vane legitimately swings by any angle from one reading to the next in light or gusty wind,
    // so direction gets no jump check by default.
    public ElementQualityOptions WindDirDeg { get; set; } = new() { Min = 0, Max = 360, StuckAfter = TimeSpan.FromHours(6) };

    public ElementQualityOptions GustMs { get; set; } = new() { Min = 0, Max = 70, MaxStep = 20, StuckAfter = TimeSpan.FromHours(2) };

    // Rain amounts get neither jump nor stuck checks by default: a cloudburst goes from 0 to tens of mm
    // in one interval, a steady rain tips the same 0.5 mm every 10 minutes for hours, and a 24-hour total
    // stays unchanged for up to a day after a shower. Either check would flag good data.
    public ElementQualityOptions Rain10mMm { get; set; } = new() { Min = 0, Max = 50 };

    public ElementQualityOptions Rain1hMm { get; set; } = new() { Min = 0, Max = 150 };

    public ElementQualityOptions Rain24hMm { get; set; } = new() { Min = 0, Max = 800 };

    public ElementQualityOptions For(WeatherElement element) => element switch
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

    public IEnumerable<string> Problems()
    {
        foreach (var (name, value) in new[] { (nameof(MissingAfter), MissingAfter), (nameof(MissingCheckInterval), MissingCheckInterval), (nameof(StepInterval), StepInterval), (nameof(MaxGap), MaxGap) })
        {
            if (value <= TimeSpan.Zero)
            {
                yield return $"{Section}:{name} {value} must be positive";
            }
        }
        if (!(StuckTolerance >= 0 && StuckTolerance < 1))
        {
            yield return $"{Section}:{nameof(StuckTolerance)} {StuckTolerance} must be at least 0 and below 1";
        }
        if (!(CalmWindMs >= 0 && CalmWindMs < 5))
        {
            yield return $"{Section}:{nameof(CalmWindMs)} {CalmWindMs} must be at least 0 and below 5";
        }
        if (!(SaturatedHumidityPct > 0 && SaturatedHumidityPct <= 100))
        {
            yield return $"{Section}:{nameof(SaturatedHumidityPct)} {SaturatedHumidityPct} must be above 0 and at most 100";
        }
        foreach (var element in WeatherElements.All)
        {
            var e = For(element);
            var name = $"{Section}:{element}";
            if (e is null)
            {
                yield return $"{name} is missing";
                continue;
            }
            if (!(double.IsFinite(e.Min) && double.IsFinite(e.Max) && e.Min < e.Max))
            {
                yield return $"{name}:Min {e.Min} must be below {name}:Max {e.Max}";
            }
            if (e.MaxStep is { } step && !(step > 0 && double.IsFinite(step)))
            {
                yield return $"{name}:MaxStep {step} must be positive (or empty for no jump check)";
            }
            if (e.StuckAfter is { } stuck && stuck <= TimeSpan.Zero)
            {
                yield return $"{name}:StuckAfter {stuck} must be positive (or empty for no stuck check)";
            }
        }
    }
}

/// <summary>What is plausible for one element.</summary>
public sealed class ElementQualityOptions
{
    /// <summary>Lowest plausible value; below it the value is <c>out_of_range</c>.</summary>
    public double Min { get; set; }

    /// <summary>Highest plausible value; above it the value is <c>out_of_range</c>.</summary>
    public double Max { get; set; }

    /// <summary>Largest plausible change within <see cref="QualityOptions.StepInterval"/>; null: no jump check.</summary>
    public double? MaxStep { get; set; }

    /// <summary>Longest plausible time at one value; null: no stuck check.</summary>
    public TimeSpan? StuckAfter { get; set; }
}
