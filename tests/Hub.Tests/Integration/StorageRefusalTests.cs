using FacilityHub.Hub.Tests.Support;
using FacilityHub.TestSupport;

namespace FacilityHub.Hub.Tests.Integration;

/// <summary>A batch InfluxDB refuses with a 4xx is not retried forever: the refused lines are dead-lettered, the rest stored.</summary>
public sealed class StorageRefusalTests
{
    [Fact]
    public async Task FieldTypeConflict_RefusedLinesDeadLetteredAndOthersInTheBatchStored()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var influx = await InfluxServer.StartAsync();
        await using var hub = await HubProcess.StartAsync(influx);
        var ts = Payloads.NowMs(-120_000);
        // Someone wrote clients_2g as a string into this shard: every AP point (an integer there) now conflicts.
        await influx.WriteAsync(hub.Database, $"ap,ap=intruder clients_2g=\"twelve\" {ts.ToUnixTimeMilliseconds() - 1}");

        await using var agent = await TestPublisher.ConnectAsync(hub.MqttPort);
        for (var i = 0; i < 5; i++)
        {
            await agent.PublishAsync($"fh/v1/ap/civic-center/civic-1f-0{i + 1}", Payloads.Ap(ts.AddMilliseconds(i), i), ct);
            await agent.PublishAsync("fh/v1/shelter/shl-juo-es", Payloads.Shelter(ts.AddMilliseconds(i), 100 + i, occupancy: i), ct);
        }

        await Wait.UntilAsync(async () => await influx.CountAsync(hub.Database, "shelter", "occupancy") == 5, "the five shelter points");
        await Wait.UntilAsync(async () => await influx.CountAsync(hub.Database, "rejected", "topic", "reason = 'storage_rejected'") == 5,
            "five storage_rejected dead letters");
        var letters = await influx.QueryAsync(hub.Database, "SELECT * FROM rejected");
        Assert.All(letters, l =>
        {
            Assert.StartsWith("ap,ap=civic-1f-0", l["payload_head"].GetString(), StringComparison.Ordinal);
            Assert.Contains("field type conflict", l["detail"].GetString(), StringComparison.Ordinal);
        });
        var stats = await hub.StatsAsync();
        Assert.Equal(5, stats.StorageRefused);
        Assert.Equal(0, stats.QueueDepth);
    }
}
