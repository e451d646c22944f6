using FacilityHub.Dashboard.Tests.Support;
using FacilityHub.Dashboard.Weather;

namespace FacilityHub.Dashboard.Tests.Weather;

public sealed class WindTests
{
    [Theory]
    [InlineData(0, 180)]
    [InlineData(90, 270)]
    [InlineData(225, 45)]
    [InlineData(360, 180)]
    [InlineData(-90, 90)]
    public void ArrowRotationDeg_FromDirection_PointsWhereTheWindBlows(double fromDeg, double rotation)
    {
        Assert.Equal(rotation, Wind.ArrowRotationDeg(fromDeg), 6);
    }

    [Theory]
    [InlineData(0, "N")]
    [InlineData(360, "N")]
    [InlineData(11.2, "N")]
    [InlineData(11.25, "NNE")]
    [InlineData(45, "NE")]
    [InlineData(90, "E")]
    [InlineData(180, "S")]
    [InlineData(225, "SW")]
    [InlineData(292.5, "WNW")]
    [InlineData(348.75, "N")]
    [InlineData(348.7, "NNW")]
    public void CompassCode_Direction_NamesTheSixteenPoint(double fromDeg, string code)
    {
        Assert.Equal(code, Wind.CompassCode(fromDeg));
    }

    [Theory]
    [InlineData("ja-JP", 225, "南西の風")]
    [InlineData("en", 225, "from SW")]
    [InlineData("ja-JP", 22.5, "北北東の風")]
    public void CompassCode_EveryCode_HasANameInBothLanguages(string culture, double fromDeg, string expected)
    {
        var text = Localizers.For<WeatherText>();

        var shown = Localizers.In(culture, () => text["WindFrom", text["Compass_" + Wind.CompassCode(fromDeg)]]);

        Assert.Equal(expected, shown);
        foreach (var code in Wind.CompassCodes)
        {
            Assert.False(text["Compass_" + code].ResourceNotFound, code);
        }
    }

    [Theory]
    [InlineData(0.0, true)]
    [InlineData(0.29, true)]
    [InlineData(0.3, false)]
    [InlineData(null, false)]
    public void IsCalm_Speed_BelowPointThreeIsCalm(double? speed, bool calm)
    {
        Assert.Equal(calm, Wind.IsCalm(speed));
    }
}
