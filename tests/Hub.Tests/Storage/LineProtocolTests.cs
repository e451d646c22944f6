using System.Text;
using FacilityHub.Hub.Storage;

namespace FacilityHub.Hub.Tests.Storage;

public sealed class LineProtocolTests
{
    private static readonly DateTimeOffset Ts = DateTimeOffset.FromUnixTimeMilliseconds(1_763_860_500_000);

    private static string Line(Action<LineProtocol> build, string measurement = "m")
    {
        var sb = new StringBuilder();
        build(LineProtocol.Start(sb, measurement));
        return sb.ToString();
    }

    [Fact]
    public void Build_AllFieldTypes_FormatsAsLineProtocol() =>
        Assert.Equal(
            "ap,site=civic-center,ap=civic-1f-01 up=true,clients=12i,util=42.5,name=\"x\" 1763860500000\n",
            Line(l => l.Tag("site", "civic-center").Tag("ap", "civic-1f-01")
                .Field("up", true).Field("clients", 12L).Field("util", 42.5).Field("name", "x").Timestamp(Ts), "ap"));

    [Fact]
    public void Build_MeasurementWithCommaAndSpace_IsEscaped() =>
        Assert.StartsWith("my\\ meas\\,urement f=1i", Line(l => l.Field("f", 1L).Timestamp(Ts), "my meas,urement"), StringComparison.Ordinal);

    [Fact]
    public void Build_TagKeyAndValueSpecialCharacters_AreEscaped() =>
        Assert.StartsWith("m,a\\ b\\=c\\,d=x\\ y\\=z\\,w f=1i", Line(l => l.Tag("a b=c,d", "x y=z,w").Field("f", 1L).Timestamp(Ts)), StringComparison.Ordinal);

    [Fact]
    public void Build_FieldKeySpecialCharacters_AreEscaped() =>
        Assert.StartsWith("m f\\ 1\\=\\,=1i", Line(l => l.Field("f 1=,", 1L).Timestamp(Ts)), StringComparison.Ordinal);

    [Fact]
    public void Build_StringFieldQuotesAndBackslashes_AreEscaped() =>
        Assert.StartsWith("m s=\"say \\\"hi\\\" C:\\\\dir\\\\\"", Line(l => l.Field("s", "say \"hi\" C:\\dir\\").Timestamp(Ts)), StringComparison.Ordinal);

    [Fact]
    public void Build_NullValues_AreAbsentNotZero() =>
        Assert.Equal("m,t=a b=2i 1763860500000\n",
            Line(l => l.Tag("t", "a").Tag("empty", null).Field("a", (double?)null).Field("b", 2L).Field("c", (string?)null).Timestamp(Ts)));

    [Fact]
    public void Build_Double_UsesInvariantRoundTripFormat() =>
        Assert.Contains("v=0.1", Line(l => l.Field("v", 0.1).Timestamp(Ts)), StringComparison.Ordinal);

    [Theory]
    [InlineData("a\nb")]
    [InlineData("a\rb")]
    [InlineData("a\\b")]
    public void Tag_UnrepresentableValue_IsRefused(string value) =>
        Assert.Throws<ArgumentException>(() => Line(l => l.Tag("t", value).Field("f", 1L).Timestamp(Ts)));

    [Fact]
    public void Field_NonFinite_IsRefused() =>
        Assert.Throws<ArgumentException>(() => Line(l => l.Field("f", double.NaN).Timestamp(Ts)));

    [Fact]
    public void Timestamp_WithoutField_IsRefused() =>
        Assert.Throws<InvalidOperationException>(() => Line(l => l.Tag("t", "a").Timestamp(Ts)));
}
