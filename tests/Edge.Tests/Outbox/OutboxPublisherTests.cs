using System.Globalization;
using System.Text;
using FacilityHub.Contracts.Sites;
using FacilityHub.Edge.Outbox;
using FacilityHub.Edge.Publishing;
using FacilityHub.Edge.Simulation;
using FacilityHub.Edge.Tests.Support;
using FacilityHub.TestSupport;
using Microsoft.Extensions.Logging;

namespace FacilityHub.Edge.Tests.Outbox;

/// <summary>
/// The agent's outbox and publisher against a real Mosquitto, with the test playing the hub: it receives
/// everything under <c>fh/v1/#</c> and acknowledges (or not) on <c>fh/v1/ack/{agentId}</c>.
/// </summary>
public sealed class OutboxPublisherTests(ITestOutputHelper output) : IDisposable
{
    private const string Agent = "edge-pub";
    private readonly TempDir _dir = new("outbox-pub");

    private string OutboxPath => _dir.Combine("outbox.db");

    public void Dispose() => _dir.Dispose();

    // The Civic Center's 28 access points, every second: a steady live stream.
    private static readonly (string, string)[] CivicEverySecond =
    [
        ("Simulator:Sites", "civic-center"),
        ("Simulator:Kinds", "ap"),
        ("Simulator:Interval", "00:00:01"),
    ];

    [Fact]
    public async Task Publisher_HubDoesNotAck_KeepsEveryMessageAndResendsTheSameBytesAfterAckTimeout()
    {
        await using var broker = await MosquittoServer.StartAsync();
        await using var hub = await TestHub.ConnectAsync(broker.Port, Agent);
        hub.AutoAck = false;
        await using var edge = await EdgeHost.StartAsync(broker.Port, Agent, OutboxPath,
            [.. CivicEverySecond, ("Simulator:MaxMessages", "40"), ("Outbox:AckTimeout", "00:00:02"), ("Agent:StatusInterval", "00:00:01")]);

        await Wait.UntilAsync(() => hub.DistinctSeqs().Count == 40, "all 40 messages at the test's hub");
        Assert.Equal(40, edge.Outbox.Count);

        // Without an ack each is published again after Outbox:AckTimeout, byte for byte (same ts, same seq).
        await Wait.UntilAsync(() => hub.Received().GroupBy(r => r.Seq).Count(g => g.Count() >= 2) == 40, "every message to be re-sent after the ack timeout");
        AssertSameBytesPerSeq(hub.Received());
        // Which round's timeout the line names depends on how fast this machine is; the back-off is asserted below.
        await Wait.UntilAsync(() => edge.Logs.Lines.Any(l => l.Message.StartsWith("Re-sent ", StringComparison.Ordinal)), "the re-send to be logged");
        Assert.Equal(40, edge.Outbox.Count);
        // The hub acknowledges nothing at all, so the agent waits longer before the next re-send.
        await Wait.UntilAsync(() => edge.Logs.Lines.Any(l => l.Message.Contains("waiting 00:00:04 for acknowledgements", StringComparison.Ordinal)), "the ack timeout to back off");

        // A malformed ack is logged and ignored; it removes nothing.
        await hub.PublishRawAsync(hub.AckTopic, Encoding.UTF8.GetBytes("""{"ranges":[[0,9223372036854775807],[5,1]]}"""));
        await Wait.UntilAsync(() => edge.Logs.Lines.Any(l => l.Message.StartsWith("Ignored a bad acknowledgement", StringComparison.Ordinal)), "the bad ack to be logged");
        Assert.Equal(40, edge.Outbox.Count);

        // Acking half removes exactly that half.
        var seqs = hub.DistinctSeqs().Order().ToList();
        await hub.AckAsync(seqs.Where((_, i) => i % 2 == 0));
        await Wait.UntilAsync(() => edge.Outbox.Count == 20, "the acknowledged half to leave the outbox");
        // The rows go before the line is logged: wait for it rather than read the log at the moment the count drops.
        await Wait.UntilAsync(() => edge.Logs.Lines.Any(l => l.Message.StartsWith("The hub acknowledges again; re-sending after 00:00:02", StringComparison.Ordinal)),
            "the restored ack timeout to be logged");
        Assert.Equal(seqs.Where((_, i) => i % 2 == 1), edge.Outbox.Read(0, long.MaxValue, 100).Select(m => m.Seq));

        await hub.AckAsync(seqs);
        await Wait.UntilAsync(() => edge.Outbox.Count == 0, "the outbox to empty");
        await Wait.UntilAsync(() => hub.Statuses.TryGetValue($"fh/v1/agent/{Agent}/status", out var s) && s is { State: "online", Queued: 0, OldestUnackedS: 0, Evicted: 0 },
            "the status to show an empty outbox");
    }

    [Fact]
    public async Task Publisher_HubStopsAckingAndBrokerRestarts_ResendsEveryUnackedMessageWithItsOriginalTsAndSeq()
    {
        await using var broker = await MosquittoServer.StartAsync();
        await using var hub = await TestHub.ConnectAsync(broker.Port, Agent);
        await using var edge = await EdgeHost.StartAsync(broker.Port, Agent, OutboxPath,
            [.. CivicEverySecond, ("Simulator:MaxMessages", "300")]);

        await Wait.UntilAsync(() => hub.Acked().Count >= 56, "two rounds acknowledged");
        await Wait.UntilAsync(() => edge.Outbox.Count < 28, "acknowledged messages to leave the outbox");
        hub.AutoAck = false;
        var before = hub.Count;
        await Wait.UntilAsync(() => hub.Count >= before + 56, "two more rounds, unacknowledged");

        // Nothing leaves the outbox without the hub's ack, whatever the broker said.
        var unacked = hub.Unacked();
        var inOutbox = edge.Outbox.Read(0, long.MaxValue, 1000).Select(m => m.Seq).ToHashSet();
        Assert.Subset(inOutbox, unacked);
        Assert.Empty(inOutbox.Intersect(hub.Acked()));

        await broker.RestartAsync();
        await hub.ReconnectAsync();
        var firstCopies = hub.Received().GroupBy(r => r.Seq).ToDictionary(g => g.Key, g => g.Count());
        await Wait.UntilAsync(
            () => unacked.All(seq => hub.Received().Count(r => r.Seq == seq) > firstCopies[seq]),
            $"all {unacked.Count} unacknowledged messages to be re-sent after the broker restart");
        AssertSameBytesPerSeq(hub.Received());

        // The ack subscription was made again on the new session: acks empty the outbox.
        hub.AutoAck = true;
        await hub.AckAsync(hub.DistinctSeqs());
        await Wait.UntilAsync(() => edge.Outbox.Count == 0 && hub.DistinctSeqs().Count == 300, "all 300 messages delivered and acknowledged", TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task Publisher_TenThousandMessageBacklog_LiveMessagesAreNotStarvedAndTheBacklogDrainsOldestFirst()
    {
        const int backlog = 10_000;
        const int rate = 2_000;
        using (var outbox = OutboxStore.Open(OutboxPath, 256L * 1024 * 1024, TimeSpan.FromDays(7), TimeProvider.System, new CollectingLoggerProvider().CreateLogger<OutboxStore>()))
        {
            outbox.Append(Backlog(backlog));
        }
        await using var broker = await MosquittoServer.StartAsync();
        await using var hub = await TestHub.ConnectAsync(broker.Port, Agent);
        var started = DateTimeOffset.UtcNow;
        await using var edge = await EdgeHost.StartAsync(broker.Port, Agent, OutboxPath,
            [.. CivicEverySecond, ("Outbox:BacklogRatePerSecond", rate.ToString(CultureInfo.InvariantCulture))]);

        await Wait.UntilAsync(() => hub.DistinctSeqs().Count(s => s <= backlog) == backlog, "the backlog to drain", TimeSpan.FromSeconds(60));
        var drained = DateTimeOffset.UtcNow - started;
        var received = hub.Received();

        // Live messages (seq above the backlog) were delivered while the backlog drained, each within a
        // moment of its ts, the time it was measured; the backlog was not.
        var live = received.Where(r => r.Seq > backlog).GroupBy(r => r.Seq).Select(g => g.First()).ToList();
        var lastBacklog = received.Where(r => r.Seq <= backlog).Max(r => r.At);
        var duringDrain = live.Where(r => r.At <= lastBacklog).ToList();
        var delays = duringDrain.Select(r => (r.At - DateTimeOffset.Parse(r.Ts, CultureInfo.InvariantCulture)).TotalMilliseconds).Order().ToList();
        output.WriteLine($"backlog of {backlog} drained in {drained.TotalSeconds:F1} s at {rate}/s; {duringDrain.Count} live messages meanwhile, " +
            $"delay p50 {delays[delays.Count / 2]:F0} ms, p99 {delays[(int)(delays.Count * 0.99)]:F0} ms, max {delays[^1]:F0} ms");
        Assert.True(duringDrain.Count >= 28 * 3, $"only {duringDrain.Count} live messages arrived while the backlog drained");
        // Not starved, judged by arrival order rather than by milliseconds (which a loaded CI machine stretches):
        // live messages arrive inside every third of the backlog's drain, not only around its end.
        var order = received.Select((r, i) => (r.Seq, Position: i)).ToList();
        var backlogPositions = order.Where(r => r.Seq <= backlog).Select(r => r.Position).ToList();
        var livePositions = order.Where(r => r.Seq > backlog).Select(r => r.Position).ToList();
        for (var third = 0; third < 3; third++)
        {
            var from = backlogPositions[backlogPositions.Count * third / 3];
            var to = backlogPositions[(backlogPositions.Count * (third + 1) / 3) - 1];
            Assert.True(livePositions.Any(p => p > from && p < to), $"no live message arrived during third {third + 1} of the backlog's drain");
        }

        // Throttled: not faster than the configured rate (with the first burst), oldest first.
        Assert.True(drained >= TimeSpan.FromSeconds((backlog / (double)rate) * 0.9), $"drained in {drained}, faster than {rate}/s");
        var backlogOrder = received.Where(r => r.Seq <= backlog).Select(r => r.Seq).Distinct().ToList();
        Assert.Equal(backlogOrder.Order(), backlogOrder);

        await Wait.UntilAsync(() => edge.Outbox.Count < 28, "the acknowledged backlog to leave the outbox");
    }

    [Fact]
    public async Task Status_OutboxFullAndHubSilent_ShowsQueuedOldestUnackedAndEvicted()
    {
        await using var broker = await MosquittoServer.StartAsync();
        await using var hub = await TestHub.ConnectAsync(broker.Port, Agent);
        hub.AutoAck = false;
        // 64 KiB holds about 130 AP samples; 300 are produced and none is acknowledged.
        await using var edge = await EdgeHost.StartAsync(broker.Port, Agent, OutboxPath,
            ("Simulator:Sites", "civic-center"), ("Simulator:Kinds", "ap"), ("Simulator:Interval", "00:00:00.100"),
            ("Simulator:MaxMessages", "300"), ("Outbox:MaxBytes", "65536"), ("Agent:StatusInterval", "00:00:01"));

        await Wait.UntilAsync(() => edge.Outbox.Stats() is var now && now.Count + now.Evicted == 300, "all 300 committed, held or evicted");
        var stats = edge.Outbox.Stats();
        Assert.True(stats.Bytes <= 65536, $"{stats.Bytes} bytes held");
        Assert.True(stats.EvictedTelemetry > 100, $"only {stats.EvictedTelemetry} evicted");
        Assert.Equal(0, stats.EvictedShelters);
        await Wait.UntilAsync(() => edge.Logs.Lines.Any(l => l.Level == LogLevel.Warning && l.Message.StartsWith("Evicted ", StringComparison.Ordinal)),
            "the eviction to be logged");

        await Wait.UntilAsync(
            () => hub.Statuses.TryGetValue($"fh/v1/agent/{Agent}/status", out var s) && s.State == "online" && s.Queued == stats.Count && s.Evicted == stats.EvictedTelemetry && s.OldestUnackedS >= 1,
            "the retained status to show the outbox depth, the age of the oldest unacknowledged message and the evictions");
    }

    /// <summary>Civic Center AP samples from an hour ago, as an earlier run of the agent would have left them.</summary>
    private static List<OutgoingMessage> Backlog(int count)
    {
        var simulator = Sample.Simulator(Scenario.Normal, Sample.Monday);
        var devices = SimulatedDevice.Select(Sample.Registry, new HashSet<DeviceKind> { DeviceKind.Ap }, new HashSet<string>(StringComparer.Ordinal) { "civic-center" });
        var start = DateTimeOffset.UtcNow - TimeSpan.FromHours(1);
        return Enumerable.Range(0, count)
            .Select(i => simulator.Create(devices[i % devices.Count], start + TimeSpan.FromSeconds(i / devices.Count), i + 1))
            .ToList();
    }

    private static void AssertSameBytesPerSeq(IReadOnlyList<Received> received)
    {
        foreach (var copies in received.GroupBy(r => r.Seq))
        {
            var first = copies.First();
            Assert.All(copies, c => Assert.Equal(first.Payload, c.Payload));
            Assert.All(copies, c => Assert.Equal(first.Topic, c.Topic));
        }
    }
}
