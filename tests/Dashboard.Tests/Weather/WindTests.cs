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
    [InlineData(0, "北", "N")]
    [InlineData(360, "北", "N")]
    [InlineData(11.2, "北", "N")]
    [InlineData(11.25, "北北東", "NNE")]
    [InlineData(45, "北東", "NE")]
    [InlineData(90, "東", "E")]
    [InlineData(180, "南", "S")]
    [InlineData(225, "南西", "SW")]
    [InlineData(292.5, "西北西", "WNW")]
    [InlineData(348.75, "北", "N")]
    [InlineData(348.7, "北北西", "NNW")]
    public void Compass_Direction_NamesTheSixteenPoint(double fromDeg, string ja, string en)
    {
        Assert.Equal(ja, Wind.CompassJa(fromDeg));
        Assert.Equal(en, Wind.CompassEn(fromDeg));
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
