using System.Globalization;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using FacilityHub.Contracts;
using FacilityHub.Contracts.Live;
using FacilityHub.Contracts.Messages;
using FacilityHub.TestSupport;
using static Microsoft.Playwright.Assertions;

namespace FacilityHub.Dashboard.Tests.EndToEnd;

/// <summary>
/// The weather office's views against the shared city. Stations used here and nowhere else in the collection:
/// wx-kamine (live values), wx-kawarago (quality marks), wx-omika (history charts). Test ids are
/// <c>wx-{stationId}-…</c>, and station ids begin with wx- themselves: hence wx-wx-kamine-temp.
/// </summary>
[Collection(CityCollection.Name)]
public sealed partial class WeatherViewTests(City city)
{
    [Fact]
    public async Task WeatherList_ObservationOverMqtt_UpdatesValuesAndIconWithoutReload()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var agent = await city.PublisherAsync();
        await using var p = await city.OpenAsync("weather", "weather", 1280, 900);
        await Expect(p.Page.GetByTestId("connection-banner")).ToHaveAttributeAsync("data-state", "Connected");
        // A marker on the window survives only if the page is never reloaded.
        await p.Page.EvaluateAsync("window.__noReload = true");
        var ts = Now().AddMinutes(-2);

        await agent.PublishAsync("fh/v1/weather/wx-kamine", Observation(ts, 1, temperatureC: 18.5, humidityPct: 55, rain10mMm: 0, rain1hMm: 0), ct);
        await Expect(p.Page.GetByTestId("wx-wx-kamine-temp")).ToHaveTextAsync("18.5");
        await Expect(p.Page.GetByTestId("wx-wx-kamine-icon")).ToHaveAttributeAsync("data-condition", "clear");
        await Expect(p.Page.GetByTestId("wx-wx-kamine-wind-dir")).ToHaveTextAsync("南西の風");

        await agent.PublishAsync("fh/v1/weather/wx-kamine", Observation(ts.AddMinutes(1), 2, temperatureC: 17.9, humidityPct: 90, rain10mMm: 4.5, rain1hMm: 12), ct);
        await Expect(p.Page.GetByTestId("wx-wx-kamine-temp")).ToHaveTextAsync("17.9");
        await Expect(p.Page.GetByTestId("wx-wx-kamine-icon")).ToHaveAttributeAsync("data-condition", "heavy-rain");
        await Expect(p.Page.GetByTestId("wx-wx-kamine-icon")).ToContainTextAsync("強い雨");
        await Expect(p.Page.GetByTestId("wx-wx-kamine-rain1h")).ToHaveTextAsync("12.0");

        Assert.True(await p.Page.EvaluateAsync<bool>("window.__noReload === true"), "the page was reloaded");

        // The same values in English: compass point and weather from the English resources.
        await p.Page.GetByTestId("language-switch").ClickAsync();
        await Expect(p.Page.GetByTestId("wx-wx-kamine-wind-dir")).ToHaveTextAsync("from SW");
        await Expect(p.Page.GetByTestId("wx-wx-kamine-icon")).ToContainTextAsync("Heavy rain");
        Assert.Empty(p.Errors);
    }

    [Fact]
    public async Task WeatherList_ImplausibleTemperatureJump_ShowsAMarkedValueAndTheLegend()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var agent = await city.PublisherAsync();
        var ts = Now().AddMinutes(-4);
        await agent.PublishAsync("fh/v1/weather/wx-kawarago", Observation(ts, 1, temperatureC: 12.0), ct);
        await agent.PublishAsync("fh/v1/weather/wx-kawarago", Observation(ts.AddMinutes(2), 2, temperatureC: 27.0), ct);

        foreach (var (width, height) in new[] { (390, 844), (1920, 1080) })
        {
            await using var p = await city.OpenAsync("weather", "weather", width, height);
            var mark = p.Page.GetByTestId("wx-wx-kawarago-temp-qc");
            await Expect(p.Page.GetByTestId("wx-wx-kawarago-temp")).ToHaveTextAsync("27.0");
            await Expect(mark).ToHaveAttributeAsync("data-flag", "jump");
            // Text, not colour alone, and an explanation on hover.
            await Expect(mark).ToContainTextAsync("急変");
            await Expect(mark).ToHaveAttributeAsync("title", new Regex("急変"));
            await Expect(p.Page.GetByTestId("wx-wx-kawarago-humidity-qc")).ToHaveAttributeAsync("data-flag", "missing");
            await Expect(p.Page.GetByTestId("wx-qc-legend")).ToContainTextAsync("急変");
            await p.ScreenshotAsync($"weather-{width}x{height}");
            Assert.Empty(p.Errors);
        }
    }

    [Fact]
    public async Task StationPage_StoredObservations_DrawTheCharts()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var agent = await city.PublisherAsync();
        var start = Now().AddHours(-6);
        for (var i = 0; i <= 12; i++)
        {
            await agent.PublishAsync("fh/v1/weather/wx-omika",
                Observation(start.AddMinutes(30 * i), i + 1, temperatureC: 10 + (0.3 * i), humidityPct: 60 + i, rain10mMm: i % 4 == 0 ? 0.5 : 0,
                    rain1hMm: 1, windSpeedMs: 2 + (0.2 * (i % 5)), pressureHpa: 1010 + (0.1 * i)), ct);
        }
        // The page asks the hub once on opening: wait until the points are stored, not until they are merely published.
        await Wait.UntilAsync(async () => await StoredTemperaturesAsync("wx-omika", ct) >= 13, "wx-omika's observations stored", ct: ct);

        foreach (var (width, height) in new[] { (390, 844), (1920, 1080) })
        {
            await using var p = await city.OpenAsync("weather/wx-omika", "weather", width, height);
            await Expect(p.Page.GetByTestId("wx-station-title")).ToContainTextAsync("大みか");
            await Expect(p.Page.GetByTestId("wx-wx-omika-temp")).ToHaveTextAsync("13.6");
            await Expect(p.Page.GetByTestId("chart-wx-temp")).ToHaveAttributeAsync("data-points", Positive());
            await Expect(p.Page.GetByTestId("chart-wx-humidity")).ToHaveAttributeAsync("data-points", Positive());
            await Expect(p.Page.GetByTestId("chart-wx-wind")).ToHaveAttributeAsync("data-points", Positive());
            // The gust reads 6.1 m/s for six hours: the hub flags it stuck, and the page lists that stretch under the chart.
            await Expect(p.Page.GetByTestId("chart-wx-wind-flagged").Locator("li[data-flag=stuck]").First).ToContainTextAsync("固着");
            await p.ScreenshotAsync($"weather-station-{width}x{height}");

            await p.Page.GetByTestId("wx-range-7d").ClickAsync();
            await Expect(p.Page.GetByTestId("wx-charts")).ToHaveAttributeAsync("data-range", "7d");
            await Expect(p.Page.GetByTestId("chart-wx-temp")).ToHaveAttributeAsync("data-points", Positive());
            Assert.Empty(p.Errors);
        }
    }

    [Fact]
    public async Task StationPage_UnknownStation_SaysSo()
    {
        await using var p = await city.OpenAsync("weather/wx-atlantis", "weather", 390, 844);

        await Expect(p.Page.GetByTestId("wx-not-found")).ToContainTextAsync("wx-atlantis");
        await Expect(p.Page.GetByTestId("wx-charts")).ToHaveCountAsync(0);
        Assert.Empty(p.Errors);
    }

    private async Task<int> StoredTemperaturesAsync(string stationId, CancellationToken ct)
    {
        var to = TimestampJsonConverter.ToWire(Now().AddMinutes(1));
        var from = TimestampJsonConverter.ToWire(Now().AddHours(-7));
        var history = await city.Hub.Http.GetFromJsonAsync(
            $"api/history?id={stationId}&fields=temperature_c&interval=1m&from={Uri.EscapeDataString(from)}&to={Uri.EscapeDataString(to)}",
            ContractsJsonContext.Default.HistoryResponse, ct);
        return history!.Series.Sum(s => s.Points.Count);
    }

    // Milliseconds, as an edge agent sends them, in Japan time.
    private static DateTimeOffset Now() =>
        DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()).ToOffset(TimeSpan.FromHours(9));

    private static string Observation(DateTimeOffset ts, long seq, double temperatureC, double? humidityPct = null,
        double? rain10mMm = null, double? rain1hMm = null, double windSpeedMs = 3.2, double pressureHpa = 1012.3)
    {
        var fields = new List<string>
        {
            $"\"ts\":\"{TimestampJsonConverter.ToWire(ts)}\"", "\"agent\":\"browser-test-wx\"", $"\"seq\":{seq}",
            $"\"temperatureC\":{N(temperatureC)}", $"\"pressureHpa\":{N(pressureHpa)}", $"\"windSpeedMs\":{N(windSpeedMs)}", "\"windDirDeg\":225",
            "\"gustMs\":6.1", "\"rain24hMm\":15.5",
        };
        if (humidityPct is { } h)
        {
            fields.Add($"\"humidityPct\":{N(h)}");
        }
        if (rain10mMm is { } r10)
        {
            fields.Add($"\"rain10mMm\":{N(r10)}");
        }
        if (rain1hMm is { } r1)
        {
            fields.Add($"\"rain1hMm\":{N(r1)}");
        }
        return "{" + string.Join(",", fields) + "}";
    }

    private static string N(double v) => v.ToString("0.0##", CultureInfo.InvariantCulture);

    [GeneratedRegex("^[1-9][0-9]*$")]
    private static partial Regex Positive();
}
