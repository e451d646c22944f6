using System.Globalization;
using System.Net.Http.Json;
using FacilityHub.Contracts;
using FacilityHub.Contracts.Live;
using FacilityHub.Contracts.Quality;
using FacilityHub.Hub.Tests.Support;
using FacilityHub.TestSupport;

namespace FacilityHub.Hub.Tests.Integration;

/// <summary>
/// Quality control on the real data path: a station publishes a series with a jump, a stuck anemometer,
/// an implausible pressure and no hygrometer; the flags reach the live stream, <c>/api/latest</c>, InfluxDB,
/// <c>/api/history</c>, and survive a restart of the hub.
/// </summary>
public sealed class WeatherQualityTests(SharedInflux influx)
{
    private const int Count = 15;
    private static readonly TimeSpan Step = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Observation i of the series, 10 minutes apart. Temperature alternates by 0.1 and leaps 8 °C at i = 5;
    /// wind speed stays at 4.2 m/s throughout (stuck once over 2 h, from i = 13); pressure is 1060 hPa
    /// (possible, not plausible here) at the last one; humidity and rain are never sent.
    /// </summary>
    private static string Observation(DateTimeOffset ts, int i) => string.Create(CultureInfo.InvariantCulture, $$"""
        {"ts":"{{Payloads.Ts(ts)}}","agent":"test-agent","seq":{{i + 1}},"temperatureC":{{(i < 5 ? 10 : 18) + (0.1 * (i % 2))}},"pressureHpa":{{(i == Count - 1 ? 1060 : 1012 + (0.1 * (i % 2)))}},"windSpeedMs":4.2,"windDirDeg":{{200 + i}},"gustMs":{{8 + (0.1 * (i % 2))}}}
        """);

    private static readonly WeatherQuality LatestExpected = WeatherQuality.AllMissing with
    {
        TemperatureC = QualityFlag.Ok,
        PressureHpa = QualityFlag.OutOfRange,
        WindSpeedMs = QualityFlag.Stuck,
        WindDirDeg = QualityFlag.Ok,
        GustMs = QualityFlag.Ok,
    };

    [Fact]
    public async Task Publish_SeriesWithJumpStuckAndOutOfRange_FlagsLiveStoredInHistoryAndRestored()
    {
        var ct = TestContext.Current.CancellationToken;
        // A long MissingAfter: the series ends at most 10 minutes ago, and the test must not race the silence check.
        await using var hub = await HubProcess.StartAsync(influx.Server, null, "--Quality:MissingAfter", "1.00:00:00");
        await using var live = await LiveListener.ConnectAsync(hub.BaseUrl);

        // On 10-minute boundaries, so that each history interval holds exactly one observation.
        var last = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / (long)Step.TotalMilliseconds * (long)Step.TotalMilliseconds);
        var first = last - (Step * (Count - 1));
        await using (var agent = await TestPublisher.ConnectAsync(hub.MqttPort))
        {
            for (var i = 0; i < Count; i++)
            {
                await agent.PublishAsync("fh/v1/weather/wx-juo", Observation(first + (Step * i), i), ct);
            }
        }
        await Wait.UntilAsync(async () => (await hub.StatsAsync()).Stored == Count, $"{Count} points stored");

        await Wait.UntilAsync(() => live.Weather.Any(w => w.StationId == "wx-juo" && w.Observation.Ts == last), "the last observation over SignalR");
        Assert.Equal(LatestExpected, live.Weather.Last(w => w.StationId == "wx-juo").Quality);
        Assert.Equal(LatestExpected, await LatestQualityAsync(hub, last));

        // InfluxDB: a severity code only beside the values that were not ok.
        var stored = await influx.Server.QueryAsync(hub.Database,
            "SELECT temperature_c_qc, wind_speed_ms_qc, pressure_hpa_qc FROM weather WHERE station = 'wx-juo'");
        Assert.Equal(3, stored.Count);
        Assert.Contains(stored, r => r["time"].GetInt64() == (first + (Step * 5)).ToUnixTimeMilliseconds() && r["temperature_c_qc"].GetInt64() == 2);
        Assert.Contains(stored, r => r["time"].GetInt64() == last.ToUnixTimeMilliseconds() && r["wind_speed_ms_qc"].GetInt64() == 1 && r["pressure_hpa_qc"].GetInt64() == 3);

        var history = (await hub.Http.GetFromJsonAsync(
            $"{HubRoutes.History}?id=wx-juo&fields=temperature_c,wind_speed_ms,pressure_hpa,humidity_pct&interval=10m"
            + $"&from={Uri.EscapeDataString(Payloads.Ts(first))}&to={Uri.EscapeDataString(Payloads.Ts(last + Step))}",
            ContractsJsonContext.Default.HistoryResponse, ct))!;
        QualityFlag?[] Flags(string field) => [.. history.Series.Single(s => s.Field == field).Points.Select(p => p.Q)];
        QualityFlag?[] Expected(params (int Index, QualityFlag Flag)[] flagged)
        {
            var flags = new QualityFlag?[Count];
            foreach (var (index, flag) in flagged)
            {
                flags[index] = flag;
            }
            return flags;
        }
        Assert.Equal(Expected((5, QualityFlag.Jump)), Flags("temperature_c"));
        Assert.Equal(Expected((13, QualityFlag.Stuck), (14, QualityFlag.Stuck)), Flags("wind_speed_ms"));
        Assert.Equal(Expected((14, QualityFlag.OutOfRange)), Flags("pressure_hpa"));
        var humidity = history.Series.Single(s => s.Field == "humidity_pct").Points;
        Assert.Equal(Count, humidity.Count);
        Assert.All(humidity, p => Assert.Equal((null, QualityFlag.Missing), (p.V, p.Q)));

        // A restart rebuilds the latest state from InfluxDB, flags included.
        await hub.RestartAsync();
        await Wait.UntilAsync(async () => (await hub.LatestAsync()).Weather.Count == 1, "the restored weather state");
        Assert.Equal(LatestExpected, await LatestQualityAsync(hub, last));
    }

    private static async Task<WeatherQuality> LatestQualityAsync(HubProcess hub, DateTimeOffset ts)
    {
        var state = Assert.Single((await hub.LatestAsync()).Weather);
        Assert.Equal(("wx-juo", ts), (state.StationId, state.Observation.Ts));
        return state.Quality;
    }
}
