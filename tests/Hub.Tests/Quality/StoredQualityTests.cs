using System.Text;
using FacilityHub.Contracts.Messages;
using FacilityHub.Contracts.Quality;
using FacilityHub.Contracts.Sites;
using FacilityHub.Contracts.Validation;
using FacilityHub.Hub.Quality;
using FacilityHub.Hub.Storage;

namespace FacilityHub.Hub.Tests.Quality;

public sealed class StoredQualityTests
{
    private static readonly Site Station = new("wx-a", SiteKind.WeatherStation, "A", "A", "north", 36.6, 140.6);
    private static readonly WeatherReading Reading = new(Station, new WeatherObservation(
        DateTimeOffset.FromUnixTimeMilliseconds(1_795_399_200_000), TemperatureC: 45, HumidityPct: 60, PressureHpa: 1012.3, Seq: 7));

    private static string Line(WeatherQuality q)
    {
        var sb = new StringBuilder();
        Points.Weather(sb, Reading, q);
        return sb.ToString();
    }

    [Fact]
    public void Weather_FlagsNotOk_StoredAsSeverityCodesBesideTheirFields()
    {
        var q = WeatherQuality.AllMissing with { TemperatureC = QualityFlag.OutOfRange, HumidityPct = QualityFlag.Stuck, PressureHpa = QualityFlag.Jump };
        Assert.Equal(
            "weather,district=north,station=wx-a temperature_c=45,humidity_pct=60,pressure_hpa=1012.3,seq=7i,temperature_c_qc=3i,humidity_pct_qc=1i,pressure_hpa_qc=2i 1795399200000\n",
            Line(q));
    }

    [Fact]
    public void Weather_OkAndMissing_NoQualityFields()
    {
        var q = WeatherQuality.AllMissing with { TemperatureC = QualityFlag.Ok, HumidityPct = QualityFlag.Ok, PressureHpa = QualityFlag.Ok };
        Assert.DoesNotContain("_qc", Line(q), StringComparison.Ordinal);
    }

    [Fact]
    public void Codes_RoundTripAndOrderBySeverity()
    {
        QualityFlag[] stored = [QualityFlag.Stuck, QualityFlag.Jump, QualityFlag.OutOfRange];
        Assert.Equal(stored, stored.Select(f => StoredQuality.FromCode(StoredQuality.Code(f)!.Value)));
        Assert.Equal([1L, 2L, 3L], stored.Select(f => StoredQuality.Code(f)!.Value));
        Assert.Null(StoredQuality.Code(QualityFlag.Ok));
        Assert.Null(StoredQuality.Code(QualityFlag.Missing));
    }

    [Fact]
    public void Fields_FollowTheProtocolSchema() =>
        Assert.Equal(
            ["temperature_c", "humidity_pct", "pressure_hpa", "wind_speed_ms", "wind_dir_deg", "gust_ms", "rain_10m_mm", "rain_1h_mm", "rain_24h_mm"],
            WeatherElements.All.Select(StoredQuality.Field));
}
