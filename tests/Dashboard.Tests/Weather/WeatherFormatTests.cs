using FacilityHub.Dashboard.Tests.Support;
using FacilityHub.Dashboard.Weather;
using static FacilityHub.Dashboard.Tests.Support.States;

namespace FacilityHub.Dashboard.Tests.Weather;

public sealed class WeatherFormatTests
{
    [Theory]
    [InlineData("ja-JP", "十王観測点", "Juo station", "十王観測点")]
    [InlineData("en", "十王観測点", "Juo station", "Juo station")]
    [InlineData("en", "十王観測点", null, "十王観測点")]
    [InlineData("en", "十王観測点", "", "十王観測点")]
    public void Name_Culture_PicksTheRegistryNameInThatLanguage(string culture, string ja, string? en, string expected)
    {
        Assert.Equal(expected, Localizers.In(culture, () => WeatherFormat.Name(ja, en)));
    }

    [Fact]
    public void Values_AnyCulture_InvariantDigitsAndADashWhenMissing()
    {
        var shown = Localizers.In("de-DE", () => string.Join(" ", WeatherFormat.Temperature(-3.24), WeatherFormat.Humidity(65.4),
            WeatherFormat.Pressure(1012.34), WeatherFormat.Speed(3), WeatherFormat.Rain(0.5)));

        Assert.Equal("-3.2 65 1012.3 3.0 0.5", shown);
        Assert.Equal("—", WeatherFormat.Temperature(null));
        Assert.Equal("—", WeatherFormat.Rain(double.NaN));
    }

    [Fact]
    public void Interval_WithinADay_InJapanTimeWithTheDateOnce()
    {
        // T0 is 10:15 JST; given in UTC to show the conversion.
        var from = T0.ToUniversalTime();

        Assert.Equal("11-23 10:15–10:45 JST", WeatherFormat.Interval(from, from.AddMinutes(30)));
    }

    [Fact]
    public void Interval_AcrossMidnightJst_NamesBothDates()
    {
        var from = new DateTimeOffset(2026, 11, 23, 22, 0, 0, TimeSpan.FromHours(9));

        Assert.Equal("11-23 22:00 – 11-24 01:00 JST", WeatherFormat.Interval(from, from.AddHours(3)));
    }
}
