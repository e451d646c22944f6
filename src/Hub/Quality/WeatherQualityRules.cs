using FacilityHub.Contracts.Quality;

namespace FacilityHub.Hub.Quality;

/// <summary>
/// <see cref="QualityOptions"/> turned into what the checker reads per value: one array indexed by
/// <see cref="WeatherElement"/>, built once and shared by every station's checker.
/// </summary>
public sealed class WeatherQualityRules
{
    private readonly ElementRule[] _elements = new ElementRule[WeatherElements.Count];

    public WeatherQualityRules(QualityOptions options)
    {
        foreach (var element in WeatherElements.All)
        {
            var e = options.For(element);
            _elements[(int)element] = new ElementRule(e.Min, e.Max, e.MaxStep, e.StuckAfter);
        }
        StepInterval = options.StepInterval;
        MaxGap = options.MaxGap;
        StuckTolerance = options.StuckTolerance;
        CalmWindMs = options.CalmWindMs;
        SaturatedHumidityPct = options.SaturatedHumidityPct;
    }

    public static WeatherQualityRules Default { get; } = new(new QualityOptions());

    public TimeSpan StepInterval { get; }

    public TimeSpan MaxGap { get; }

    public double StuckTolerance { get; }

    public double CalmWindMs { get; }

    public double SaturatedHumidityPct { get; }

    public ref readonly ElementRule this[WeatherElement element] => ref _elements[(int)element];
}

/// <summary>One element's limits; a null <see cref="MaxStep"/> or <see cref="StuckAfter"/> turns that check off.</summary>
public readonly record struct ElementRule(double Min, double Max, double? MaxStep, TimeSpan? StuckAfter)
{
    public bool InRange(double value) => value >= Min && value <= Max;
}
