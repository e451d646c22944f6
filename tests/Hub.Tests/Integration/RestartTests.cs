using FacilityHub.Contracts.Crowding;
using FacilityHub.Hub.Tests.Support;
using FacilityHub.TestSupport;

namespace FacilityHub.Hub.Tests.Integration;

public sealed class RestartTests(SharedInflux influx)
{
    [Fact]
    public async Task HubRestart_LatestStateRestoredFromInfluxDb()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var hub = await HubProcess.StartAsync(influx.Server);
        var ts = Payloads.NowMs(-30_000);
        await using (var agent = await TestPublisher.ConnectAsync(hub.MqttPort))
        {
            await agent.PublishAsync("fh/v1/ap/civic-center/civic-3f-01", Payloads.Ap(ts, 1, clients5g: 44), ct);
            await agent.PublishAsync("fh/v1/shelter/shl-juo-es", Payloads.Shelter(ts, 2, occupancy: 150), ct);
            await agent.PublishAsync("fh/v1/weather/wx-juo", Payloads.Weather(ts, 3), ct);
            await agent.PublishAsync("fh/v1/agent/test-agent/status", Payloads.Status(ts, queued: 7).Replace("\"queued\":7", "\"queued\":7,\"oldestUnackedS\":42", StringComparison.Ordinal), ct);
        }
        await Wait.UntilAsync(async () => (await hub.StatsAsync()).Stored == 4, "four points stored");

        await hub.RestartAsync();

        await Wait.UntilAsync(async () => (await hub.LatestAsync()) is { Aps.Count: 1, Shelters.Count: 1, Weather.Count: 1, Agents.Count: 1 },
            "the restored latest state");
        var latest = await hub.LatestAsync();
        var ap = latest.Aps[0];
        Assert.Equal(("civic-center", "civic-3f-01", ts, 44), (ap.SiteId, ap.ApId, ap.Sample.Ts, ap.Sample.Clients5g));
        var shelter = latest.Shelters[0];
        Assert.Equal((150, 220, CrowdingLevel.Crowded), (shelter.Report.Occupancy, shelter.Capacity, shelter.Level));
        Assert.Equal(12.4, latest.Weather[0].Observation.TemperatureC);
        Assert.Null(latest.Weather[0].Observation.HumidityPct);
        Assert.Equal(7, latest.Agents[0].Status.Queued);
        Assert.Equal(42, latest.Agents[0].Status.OldestUnackedS);
        var agents = await hub.Http.GetStringAsync("api/agents", ct);
        Assert.Contains("\"queued\":7", agents, StringComparison.Ordinal);
        Assert.Contains("\"oldestUnackedS\":42", agents, StringComparison.Ordinal);
    }
}
