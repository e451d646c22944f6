using FacilityHub.Contracts.Messages;
using FacilityHub.TestSupport;

namespace FacilityHub.Edge.Tests.Integration;

/// <summary>The real edge process publishing the simulated city to the real hub, which stores it in a real InfluxDB.</summary>
public sealed class EdgeToHubTests
{
    [Fact]
    public async Task EdgeAgent_SimulatingCity_HubStoresEveryKindWithoutRejections()
    {
        await using var influx = await InfluxServer.StartAsync();
        await using var hub = await HubProcess.StartAsync(influx);
        using var dir = new TempDir("edge");
        await using var edge = ServerProcess.StartProject("Edge",
        [
            "--Outbox:Path", dir.Combine("outbox.db"),
            "--Mqtt:Port", hub.MqttPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--Agent:Id", "edge-test",
            "--Sites:RegistryPath", RepoPaths.SampleRegistry,
            "--Simulator:Interval", "00:00:01",
        ]);

        await Wait.UntilAsync(async () =>
        {
            var latest = await hub.LatestAsync();
            return latest.Aps.Count >= 100 && latest.Shelters.Count >= 38 && latest.Weather.Count >= 6
                && latest.Agents.Any(a => a.AgentId == "edge-test" && a.Status.State == AgentPresence.Online);
        }, "every device of the sample city in the hub's live state", TimeSpan.FromSeconds(60));

        await Wait.UntilAsync(async () =>
            await influx.CountAsync(hub.Database, "ap", "seq") > 0
            && await influx.CountAsync(hub.Database, "shelter", "occupancy") > 0
            && await influx.CountAsync(hub.Database, "weather", "seq") > 0, "points of every kind in InfluxDB");

        var stats = await hub.StatsAsync();
        Assert.True(stats.Rejected == 0, $"the hub rejected {stats.Rejected} simulated messages: {string.Join(", ", stats.RejectedByReason)}\n{await hub.Http.GetStringAsync("api/rejected")}");

        // A clean stop publishes the retained offline status.
        await edge.StopAsync();
        await Wait.UntilAsync(async () => (await hub.LatestAsync()).Agents.Any(a => a.AgentId == "edge-test" && a.Status.State == AgentPresence.Offline),
            "the agent to be shown offline after it stops");
    }
}
