namespace FacilityHub.Dashboard.Weather;

/// <summary>Strings of the weather views; in WeatherText.resx (ja) and WeatherText.en.resx.</summary>
public sealed class WeatherText;
