using System.Globalization;
using FacilityHub.Dashboard.Components;

namespace FacilityHub.Dashboard.Tests.Components;

public sealed class FmtTests
{
    [Fact]
    public void Num_Missing_IsDash()
    {
        Assert.Equal("—", Fmt.Num(null));
        Assert.Equal("—", Fmt.Num(double.NaN));
        Assert.Equal("—", Fmt.Int(null));
    }

    [Fact]
    public void Num_ServerInCommaDecimalCulture_StillUsesPoint()
    {
        var saved = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");

            Assert.Equal("12.4", Fmt.Num(12.4));
            Assert.Equal("42.5%", Fmt.CssPct(42.5));
            Assert.Equal("1,234", Fmt.Int(1234));
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }
    }

    [Theory]
    [InlineData(-5.0, "0%")]
    [InlineData(150.0, "100%")]
    [InlineData(null, "0%")]
    public void CssPct_OutOfRange_IsClamped(double? value, string css)
    {
        Assert.Equal(css, Fmt.CssPct(value));
    }
}
