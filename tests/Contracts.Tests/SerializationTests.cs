using System.Text.Json;
using FacilityHub.Contracts.Live;
using FacilityHub.Contracts.Messages;
using FacilityHub.Contracts.Quality;

namespace FacilityHub.Contracts.Tests;

public sealed class SerializationTests
{
    [Fact]
    public void Serialize_ShelterReport_MatchesProtocolShape()
    {
        var report = new ShelterReport(new DateTimeOffset(2026, 11, 23, 10, 15, 0, 123, TimeSpan.FromHours(9)), true, 123, true, ShelterSource.Tablet, Agent: "tablet-shl-07", Seq: 88);
        Assert.Equal(
            """{"ts":"2026-11-23T10:15:00.123+09:00","open":true,"occupancy":123,"accepting":true,"source":"tablet","agent":"tablet-shl-07","seq":88}""",
            JsonSerializer.Serialize(report, ContractsJsonContext.Default.ShelterReport));
    }

    [Fact]
    public void Serialize_ApSample_RoundTripsThroughTheConverter()
    {
        var sample = new ApSample(DateTimeOffset.FromUnixTimeMilliseconds(1_795_399_200_123), ApStatus.Down);
        var json = JsonSerializer.Serialize(sample, ContractsJsonContext.Default.ApSample);
        Assert.Equal("""{"ts":"2026-11-23T02:00:00.123+00:00","status":"down"}""", json);
        Assert.Equal(sample, JsonSerializer.Deserialize(json, ContractsJsonContext.Default.ApSample));
    }

    [Fact]
    public void Serialize_AgentStatusWithOutbox_MatchesProtocolShapeWithTheAddedFields()
    {
        var status = new AgentStatus(new DateTimeOffset(2026, 11, 23, 10, 15, 0, TimeSpan.FromHours(9)), AgentPresence.Online, "1.0.0", 12, 340, 0);
        Assert.Equal(
            """{"ts":"2026-11-23T10:15:00.000+09:00","state":"online","version":"1.0.0","queued":12,"oldestUnackedS":340,"evicted":0}""",
            JsonSerializer.Serialize(status, ContractsJsonContext.Default.AgentStatus));
    }
    [Fact]
    public void Serialize_WeatherState_QualityPerElementWithWireNames()
    {
        var ts = new DateTimeOffset(2026, 11, 23, 10, 10, 0, TimeSpan.FromHours(9));
        var state = new WeatherState("wx-juo", new WeatherObservation(ts, TemperatureC: 12.4, PressureHpa: 1012.3), ts,
            WeatherQuality.AllMissing with { TemperatureC = QualityFlag.Jump, PressureHpa = QualityFlag.Ok });
        var json = JsonSerializer.Serialize<IReadOnlyList<WeatherState>>([state], ContractsJsonContext.Default.IReadOnlyListWeatherState);
        Assert.Equal(
            """[{"stationId":"wx-juo","observation":{"ts":"2026-11-23T10:10:00.000+09:00","temperatureC":12.4,"pressureHpa":1012.3},"receivedAt":"2026-11-23T10:10:00+09:00","quality":{"temperatureC":"jump","humidityPct":"missing","pressureHpa":"ok","windSpeedMs":"missing","windDirDeg":"missing","gustMs":"missing","rain10mMm":"missing","rain1hMm":"missing","rain24hMm":"missing"}}]""",
            json);
        Assert.Equal(state, Assert.Single(JsonSerializer.Deserialize(json, ContractsJsonContext.Default.IReadOnlyListWeatherState)!));
    }

    [Fact]
    public void Serialize_HistoryPoint_QualityOmittedWhenNull()
    {
        var t = DateTimeOffset.FromUnixTimeMilliseconds(1_795_399_200_000);
        var series = new HistorySeries("temperature_c", [new HistoryPoint(t, 12.5), new HistoryPoint(t, 45, QualityFlag.OutOfRange), new HistoryPoint(t, null, QualityFlag.Missing)]);
        var response = new HistoryResponse("wx-juo", "weather", "mean", TimeSpan.FromMinutes(10), t, t, [series]);
        var json = JsonSerializer.Serialize(response, ContractsJsonContext.Default.HistoryResponse);
        Assert.Contains(
            """[{"t":"2026-11-23T02:00:00+00:00","v":12.5},{"t":"2026-11-23T02:00:00+00:00","v":45,"q":"out_of_range"},{"t":"2026-11-23T02:00:00+00:00","q":"missing"}]""",
            json, StringComparison.Ordinal);
    }

    [Fact]
    public void WeatherQuality_Of_EveryElementItsOwnFlag()
    {
        QualityFlag[] flags = [QualityFlag.Ok, QualityFlag.Missing, QualityFlag.Stuck, QualityFlag.Jump, QualityFlag.OutOfRange, QualityFlag.Ok, QualityFlag.Missing, QualityFlag.Stuck, QualityFlag.Jump];
        var q = WeatherQuality.From(flags);
        Assert.Equal(flags, WeatherElements.All.Select(q.Of));
        Assert.Same(WeatherQuality.AllOk, WeatherQuality.From(new QualityFlag[WeatherElements.Count]));
        Assert.True(QualityFlag.OutOfRange > QualityFlag.Jump && QualityFlag.Jump > QualityFlag.Stuck && QualityFlag.Stuck > QualityFlag.Missing && QualityFlag.Missing > QualityFlag.Ok);
    }
}
