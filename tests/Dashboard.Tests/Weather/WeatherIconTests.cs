using FacilityHub.Contracts.Messages;
using FacilityHub.Dashboard.Tests.Support;
using FacilityHub.Dashboard.Weather;

namespace FacilityHub.Dashboard.Tests.Weather;

public sealed class WeatherIconTests
{
    // A calm, dry, moderately humid observation: clear, the baseline each case changes one element of.
    private static WeatherObservation Obs(
        double? rain10m = 0, double? rain1h = 0, double? wind = 2, double? gust = 4, double? humidity = 60) =>
        new(States.T0, TemperatureC: 14, HumidityPct: humidity, WindSpeedMs: wind, GustMs: gust, Rain10mMm: rain10m, Rain1hMm: rain1h);

    [Fact]
    public void Derive_CalmDryModerateHumidity_IsClear()
    {
        Assert.Equal(WeatherCondition.Clear, WeatherIcon.Derive(Obs()));
    }

    [Theory]
    [InlineData(79.9, WeatherCondition.Clear)]
    [InlineData(80.0, WeatherCondition.Cloudy)]
    [InlineData(94.9, WeatherCondition.Cloudy)]
    [InlineData(95.0, WeatherCondition.Fog)]
    public void Derive_Humidity_ClearCloudyFogAtTheThresholds(double humidity, WeatherCondition expected)
    {
        Assert.Equal(expected, WeatherIcon.Derive(Obs(humidity: humidity)));
    }

    [Theory]
    [InlineData(2.9, WeatherCondition.Fog)]
    [InlineData(3.0, WeatherCondition.Cloudy)]
    public void Derive_SaturatedAir_IsFogOnlyInLightWind(double wind, WeatherCondition expected)
    {
        Assert.Equal(expected, WeatherIcon.Derive(Obs(humidity: 98, wind: wind)));
    }

    [Fact]
    public void Derive_SaturatedAirWindUnknown_IsCloudyNotFog()
    {
        Assert.Equal(WeatherCondition.Cloudy, WeatherIcon.Derive(Obs(humidity: 98, wind: null, gust: null)));
    }

    [Theory]
    [InlineData(0.5, 0.5)]
    [InlineData(0.0, 0.5)]
    [InlineData(2.5, 9.5)]
    [InlineData(0.5, null)]
    [InlineData(null, 9.9)]
    public void Derive_SomeRain_IsRain(double? rain10m, double? rain1h)
    {
        Assert.Equal(WeatherCondition.Rain, WeatherIcon.Derive(Obs(rain10m: rain10m, rain1h: rain1h)));
    }

    [Theory]
    [InlineData(0.0, 10.0)]
    [InlineData(3.0, 3.0)]
    [InlineData(null, 35.0)]
    [InlineData(4.0, null)]
    public void Derive_RainAtJmaHeavyThresholds_IsHeavyRain(double? rain10m, double? rain1h)
    {
        Assert.Equal(WeatherCondition.HeavyRain, WeatherIcon.Derive(Obs(rain10m: rain10m, rain1h: rain1h)));
    }

    [Theory]
    [InlineData(7.9, 12.0, WeatherCondition.Clear)]
    [InlineData(8.0, 12.0, WeatherCondition.Windy)]
    [InlineData(14.9, 19.9, WeatherCondition.Windy)]
    [InlineData(15.0, 19.0, WeatherCondition.Storm)]
    [InlineData(9.0, 20.0, WeatherCondition.Storm)]
    [InlineData(null, 20.0, WeatherCondition.Storm)]
    public void Derive_Wind_WindyAndStormAtTheThresholds(double? wind, double? gust, WeatherCondition expected)
    {
        Assert.Equal(expected, WeatherIcon.Derive(Obs(wind: wind, gust: gust)));
    }

    [Fact]
    public void Derive_HeavyRainInAStorm_IsHeavyRain()
    {
        Assert.Equal(WeatherCondition.HeavyRain, WeatherIcon.Derive(Obs(rain1h: 25, wind: 18, gust: 30)));
    }

    [Fact]
    public void Derive_LightRainInAStorm_IsStorm()
    {
        Assert.Equal(WeatherCondition.Storm, WeatherIcon.Derive(Obs(rain10m: 0.5, rain1h: 2, wind: 16)));
    }

    [Fact]
    public void Derive_RainAndWindy_IsRain()
    {
        Assert.Equal(WeatherCondition.Rain, WeatherIcon.Derive(Obs(rain10m: 0.5, wind: 9)));
    }

    [Fact]
    public void Derive_WindyAndFoggyAir_IsWindy()
    {
        Assert.Equal(WeatherCondition.Windy, WeatherIcon.Derive(Obs(wind: 9, humidity: 97)));
    }

    [Fact]
    public void Derive_NoRainGauge_IsUnknownNotClear()
    {
        Assert.Equal(WeatherCondition.Unknown, WeatherIcon.Derive(Obs(rain10m: null, rain1h: null)));
    }

    [Fact]
    public void Derive_NoHygrometer_IsUnknown()
    {
        Assert.Equal(WeatherCondition.Unknown, WeatherIcon.Derive(Obs(humidity: null)));
    }

    [Fact]
    public void Derive_NoRainGaugeButStormWind_IsStorm()
    {
        Assert.Equal(WeatherCondition.Storm, WeatherIcon.Derive(Obs(rain10m: null, rain1h: null, humidity: null, gust: 22)));
    }

    [Fact]
    public void Derive_NothingMeasured_IsUnknown()
    {
        Assert.Equal(WeatherCondition.Unknown, WeatherIcon.Derive(new WeatherObservation(States.T0, TemperatureC: 12)));
    }

    [Fact]
    public void Derive_NaNReadings_AreMissing()
    {
        Assert.Equal(WeatherCondition.Unknown, WeatherIcon.Derive(Obs(rain10m: double.NaN, rain1h: double.NaN)));
        Assert.Equal(WeatherCondition.Clear, WeatherIcon.Derive(Obs(wind: double.PositiveInfinity, gust: double.NaN)));
    }

    [Fact]
    public void Code_EveryCondition_IsDistinctLowercaseKebab()
    {
        var codes = Enum.GetValues<WeatherCondition>().Select(WeatherIcon.Code).ToList();

        Assert.Equal(codes.Count, codes.Distinct().Count());
        Assert.All(codes, c => Assert.Matches("^[a-z]+(-[a-z]+)*$", c));
        Assert.Equal("heavy-rain", WeatherIcon.Code(WeatherCondition.HeavyRain));
    }

    [Theory]
    [InlineData(WeatherCondition.Rain, "雨")]
    [InlineData(WeatherCondition.Unknown, "不明")]
    [InlineData(WeatherCondition.Storm, "暴風")]
    public async Task Svg_AnyCondition_IsAnImageNamedByTheCallersLabel(WeatherCondition condition, string label)
    {
        var html = await Html.RenderAsync<WeatherIconSvg>(new()
        {
            [nameof(WeatherIconSvg.Condition)] = condition,
            [nameof(WeatherIconSvg.Label)] = label,
        });

        var svg = System.Xml.Linq.XElement.Parse(html);
        Assert.Equal("img", (string?)svg.Attribute("role"));
        Assert.Equal(label, (string?)svg.Attribute("aria-label"));
        Assert.Equal(label, svg.Elements().First(e => e.Name.LocalName == "title").Value);
        Assert.Equal(WeatherIcon.Code(condition), (string?)svg.Attribute("data-condition"));
        Assert.True(svg.Elements().Count() > 1, "the icon draws something");
    }
}
