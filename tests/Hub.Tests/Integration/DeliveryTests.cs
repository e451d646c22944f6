using System.Globalization;
using System.Net;
using FacilityHub.Contracts.Live;
using FacilityHub.Hub.Tests.Support;
using FacilityHub.TestSupport;

namespace FacilityHub.Hub.Tests.Integration;

/// <summary>What the hub acknowledged is stored: through an InfluxDB outage, and with its embedded broker overloaded.</summary>
public sealed class DeliveryTests
{
    private static readonly string[] CivicAps = [.. Enumerable.Range(1, 5).Select(i => $"civic-1f-0{i}")];

    [Fact]
    public async Task InfluxDbStopped_MessagesAcceptedMeanwhile_AllStoredOnceItIsBack()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var influx = await InfluxServer.StartAsync();
        await using var hub = await HubProcess.StartAsync(influx, null, "--Influx:MaxRetryDelay", "00:00:01");
        await using var live = await LiveListener.ConnectAsync(hub);
        await using var agent = await TestPublisher.ConnectAsync(hub.MqttPort);
        var start = Payloads.NowMs(-600_000);
        var seq = 0;

        async Task PublishAsync(int count)
        {
            for (var i = 0; i < count; i++, seq++)
            {
                await agent.PublishAsync($"fh/v1/ap/civic-center/{CivicAps[seq % CivicAps.Length]}", Payloads.Ap(start.AddMilliseconds(seq * 10), seq, clients5g: seq % 100), ct);
            }
        }

        await PublishAsync(100);
        // The hub's own count: InfluxDB can show the points before the hub has read its 2xx.
        await Wait.UntilAsync(async () => (await hub.StatsAsync()).Stored == 100, "the first 100 points");

        await influx.StopAsync();
        await PublishAsync(300);
        // Every PUBACK came back while InfluxDB was away; the live stream carries on meanwhile.
        await Wait.UntilAsync(() => live.Aps.Any(a => a.Sample.Seq == seq - 1), "the live stream during the outage");
        using (var health = await hub.Http.GetAsync(HubRoutes.Health, ct))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        }
        // After Influx:SpillAfter the writer stops retrying in memory and spills to disk, fsync'd.
        await Wait.UntilAsync(async () => (await hub.StatsAsync()).Spilled > 0, "points to be spilled");
        var during = await hub.StatsAsync();
        Assert.Equal(400, during.Accepted);
        Assert.Equal(100, during.Stored);
        Assert.NotEmpty(Directory.GetFiles(hub.SpillDirectory, "spill-*.lp"));

        await influx.ResumeAsync();
        await Wait.UntilAsync(async () => await influx.CountAsync(hub.Database, "ap", "seq") == 400, "all 400 points after InfluxDB is back", TimeSpan.FromSeconds(60));
        var stats = await hub.StatsAsync();
        Assert.Equal(400, stats.Accepted);
        Assert.True(stats.WriteRetries > 0, "the writer should have retried while InfluxDB was down");
        Assert.Equal(0, stats.QueueDepth);
        await Wait.UntilAsync(async () => (await hub.StatsAsync()).SpillPending == 0, "the spill to drain");
    }

    /// <summary>
    /// MQTTnet's server, overloaded at QoS 1 with default options, acknowledged every publish yet its
    /// subscriber missed messages. Here several publishers flood the embedded broker with far more than a
    /// deliberately tiny storage queue holds: every acknowledged message must be in InfluxDB.
    /// </summary>
    [Fact]
    public async Task EmbeddedBroker_OverloadedByConcurrentPublishers_StoresEveryAcknowledgedMessage()
    {
        const int Publishers = 4;
        const int PerPublisher = 5000;
        const int InFlight = 200;
        var ct = TestContext.Current.CancellationToken;
        await using var influx = await InfluxServer.StartAsync();
        await using var hub = await HubProcess.StartAsync(influx, null,
            "--Influx:QueueCapacity", "500", "--Influx:BatchSize", "250", "--Influx:FlushInterval", "00:00:00.050",
            // The storage queue is what is overloaded here, not the per-client publish limit.
            "--Ingest:MaxMessagesPerClientPerSecond", "0");
        var start = Payloads.NowMs(-3_600_000);
        var acknowledged = 0;

        async Task FloodAsync(int publisher)
        {
            await using var agent = await TestPublisher.ConnectAsync(hub.MqttPort, $"flood-{publisher}");
            using var window = new SemaphoreSlim(InFlight);
            var pending = new List<Task>(PerPublisher);
            for (var i = 0; i < PerPublisher; i++)
            {
                await window.WaitAsync(ct);
                var n = publisher * PerPublisher + i;
                var topic = $"fh/v1/ap/civic-center/{CivicAps[n % CivicAps.Length]}";
                // One millisecond per message: every message is its own point, so the count is exact.
                var payload = Payloads.Ap(start.AddMilliseconds(n), n);
                pending.Add(PublishOneAsync(agent, topic, payload, window));
            }
            await Task.WhenAll(pending);
        }

        async Task PublishOneAsync(TestPublisher agent, string topic, string payload, SemaphoreSlim window)
        {
            try
            {
                await agent.PublishAsync(topic, payload, ct);
                Interlocked.Increment(ref acknowledged);
            }
            finally
            {
                window.Release();
            }
        }

        await Task.WhenAll(Enumerable.Range(0, Publishers).Select(FloodAsync));
        Assert.Equal(Publishers * PerPublisher, acknowledged);

        await Wait.UntilAsync(
            async () => await influx.CountAsync(hub.Database, "ap", "seq") == acknowledged,
            string.Create(CultureInfo.InvariantCulture, $"all {acknowledged} acknowledged messages in InfluxDB"),
            TimeSpan.FromSeconds(90));
        var stats = await hub.StatsAsync();
        Assert.Equal(acknowledged, stats.Accepted);
        Assert.Equal(0, stats.Rejected);
    }
}
