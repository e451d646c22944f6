using FacilityHub.Hub.Tests.Support;
using FacilityHub.TestSupport;

namespace FacilityHub.Hub.Tests.Integration;

/// <summary>The hub acknowledges a message's seq on fh/v1/ack/{agent} only once its point is durable.</summary>
public sealed class AcknowledgementTests(SharedInflux influx)
{
    public static TheoryData<string> Brokers => ["embedded", "mosquitto"];

    [Theory]
    [MemberData(nameof(Brokers))]
    public async Task Publish_StoredMessages_AcknowledgedOnlyAfterTheyAreInInfluxDb(string broker)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var mosquitto = broker == "mosquitto" ? await MosquittoServer.StartAsync() : null;
        await using var hub = await HubProcess.StartAsync(influx.Server, mosquitto);
        await using var acks = await AckListener.ConnectAsync(hub.MqttPort, "test-agent");
        await using var agent = await TestPublisher.ConnectAsync(hub.MqttPort);
        var ts = Payloads.NowMs(-300_000);

        for (var seq = 1; seq <= 50; seq++)
        {
            await agent.PublishAsync("fh/v1/shelter/shl-juo-es", Payloads.Shelter(ts.AddSeconds(seq), seq, occupancy: seq), ct);
        }
        // A refused message is acknowledged too (once its dead letter is stored): re-sending it cannot help.
        await agent.PublishAsync("fh/v1/shelter/shl-juo-es", $$"""{"ts":"{{Payloads.Ts(ts)}}","agent":"test-agent","seq":51,"open":true}""", ct);

        await Wait.UntilAsync(() => acks.Acked.Count == 51, "acks for seq 1–51");
        Assert.Equal(Enumerable.Range(1, 51).Select(i => (long)i), acks.Acked.Keys.Order());
        // Every acknowledged message is in InfluxDB already (acks go out after the 2xx, never before).
        Assert.Equal(50, await influx.Server.CountAsync(hub.Database, "shelter", "occupancy"));
        Assert.Equal(1, await influx.Server.CountAsync(hub.Database, "rejected", "topic"));
    }

    [Fact]
    public async Task Ack_PayloadNamingARegisteredAgentOnATopicItIsNotGranted_NotAcknowledgedToIt()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var hub = await HubProcess.StartAsync(influx.Server);
        await using var acks = await AckListener.ConnectAsync(hub.MqttPort, "edge-shelters");
        await using var someone = await TestPublisher.ConnectAsync(hub.MqttPort);
        var ts = Payloads.NowMs(-30_000);
        // edge-shelters is granted the shelters, not the weather stations: a weather message naming it is
        // stored (anonymous clients may publish in development mode) but must not make it drop seq 7.
        await someone.PublishAsync("fh/v1/weather/wx-juo", Payloads.Weather(ts, 7).Replace("test-agent", "edge-shelters", StringComparison.Ordinal), ct);
        await someone.PublishAsync("fh/v1/shelter/shl-juo-es", Payloads.Shelter(ts, 8).Replace("test-agent", "edge-shelters", StringComparison.Ordinal), ct);

        await Wait.UntilAsync(() => acks.Acked.ContainsKey(8), "the ack of the shelter report");
        await Wait.UntilAsync(async () => (await hub.StatsAsync()).Stored == 2, "both points stored");
        Assert.False(acks.Acked.ContainsKey(7), "a message on a topic edge-shelters is not granted was acknowledged to it");
    }

    [Fact]
    public async Task Replay_SameMessageSentTwice_StoredOnceAndAcknowledged()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var hub = await HubProcess.StartAsync(influx.Server);
        await using var acks = await AckListener.ConnectAsync(hub.MqttPort, "test-agent");
        await using var agent = await TestPublisher.ConnectAsync(hub.MqttPort);
        var ts = Payloads.NowMs(-60_000);
        for (var round = 0; round < 3; round++)
        {
            for (var seq = 1; seq <= 20; seq++)
            {
                await agent.PublishAsync($"fh/v1/ap/civic-center/civic-1f-0{1 + seq % 5}", Payloads.Ap(ts.AddMilliseconds(seq), seq), ct);
            }
        }
        await Wait.UntilAsync(async () => (await hub.StatsAsync()).Stored == 60, "three rounds written");
        await Wait.UntilAsync(() => acks.Acked.Count == 20, "acks for seq 1–20");
        // Same series and timestamp overwrite in InfluxDB: a replay never becomes a second point.
        Assert.Equal(20, await influx.Server.CountAsync(hub.Database, "ap", "seq"));
    }

    [Fact]
    public async Task InfluxDbDown_MessagesSpilledAreAcknowledgedAndSurviveAHubKill()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var ownInflux = await InfluxServer.StartAsync();
        await using var hub = await HubProcess.StartAsync(ownInflux, null, "--Influx:SpillAfter", "00:00:00.500", "--Influx:MaxRetryDelay", "00:00:01");
        await using (var first = await TestPublisher.ConnectAsync(hub.MqttPort))
        {
            await first.PublishAsync("fh/v1/weather/wx-juo", Payloads.Weather(Payloads.NowMs(-100_000), 1), ct);
        }
        await Wait.UntilAsync(async () => await ownInflux.CountAsync(hub.Database, "weather", "seq") == 1, "the first point");
        await ownInflux.StopAsync();

        var ts = Payloads.NowMs(-90_000);
        await using (var acks = await AckListener.ConnectAsync(hub.MqttPort, "test-agent"))
        await using (var agent = await TestPublisher.ConnectAsync(hub.MqttPort))
        {
            for (var seq = 2; seq <= 101; seq++)
            {
                await agent.PublishAsync("fh/v1/weather/wx-juo", Payloads.Weather(ts.AddSeconds(seq), seq), ct);
            }
            // Acknowledged with InfluxDB down: durable in the spill, fsync'd.
            await Wait.UntilAsync(() => acks.Acked.Count == 100, "acks for the spilled messages", TimeSpan.FromSeconds(90));
        }

        // The hub dies without any chance to flush; InfluxDB comes back; the restarted hub drains the spill.
        await hub.Process.KillAsync();
        await ownInflux.ResumeAsync();
        await hub.RestartAsync();
        await Wait.UntilAsync(async () => await ownInflux.CountAsync(hub.Database, "weather", "seq") == 101, "all 101 points after the restart", TimeSpan.FromSeconds(90));
        var rows = await ownInflux.QueryAsync(hub.Database, "SELECT seq FROM weather");
        Assert.Equal(Enumerable.Range(1, 101).Select(i => (long)i), rows.Select(r => r["seq"].GetInt64()));
        await Wait.UntilAsync(async () => (await hub.StatsAsync()).SpillPending == 0, "the spill to drain");
        Assert.Empty(Directory.GetFiles(hub.SpillDirectory, "spill-*.lp"));
    }
}
