using System.Text;
using FacilityHub.Hub.Tests.Support;
using FacilityHub.TestSupport;

namespace FacilityHub.Hub.Tests.Integration;

/// <summary>
/// The hub behind Mosquitto catches up after being away. Its persistent session keeps messages queued at the broker
/// while it is down; when it comes back Mosquitto streams the backlog as fast as the hub's socket takes it.
/// MQTTnet's client pins its socket's buffers to 8 KiB unless told otherwise. With that, a backlog plus agents that
/// kept publishing left the receive window smaller than Mosquitto's segments; Mosquitto then sent only on TCP's
/// persist timer, and delivery fell to about 100 messages a second for good. With 8 KiB this test timed out twice
/// out of two; with the hub's 1 MiB it took 5 s three times out of three.
/// </summary>
public sealed class ExternalBacklogTests(SharedInflux influx)
{
    // Several megabytes of payload: far more than a small socket buffer holds, a few seconds of work when it flows.
    private const int Backlog = 20_000;

    [Fact]
    public async Task HubAway_BacklogQueuedAtMosquitto_AllStoredSoonAfterItReturns()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var mosquitto = await MosquittoServer.StartAsync();
        await using var hub = await HubProcess.StartAsync(influx.Server, mosquitto);
        // The hub's first connection made its persistent session; stopped, the broker queues for it.
        await hub.StopAsync();

        var start = Payloads.NowMs(-3_600_000);
        await using var agent = await TestPublisher.ConnectAsync(mosquitto.Port);
        await PublishAsync(agent, start, 1, Backlog, ct);

        // The hub returns to a backlog while the agent keeps publishing: it has to catch up, not just drain.
        var returning = hub.StartAgainAsync();
        await PublishAsync(agent, start, Backlog + 1, Backlog, ct);
        await returning;
        // Well above the seconds it takes, well below the minutes it takes at 100 messages a second.
        await Wait.UntilAsync(async () => (await hub.StatsAsync()).Stored >= 2 * Backlog, $"all {2 * Backlog:N0} messages stored", TimeSpan.FromSeconds(60), ct);
        var stats = await hub.StatsAsync();
        Assert.Equal((2L * Backlog, 2L * Backlog, 0L), (stats.Received, stats.Stored, stats.Rejected));
        Assert.Equal(2 * Backlog, await influx.Server.CountAsync(hub.Database, "ap", "seq"));
    }

    /// <summary>Seqs <paramref name="first"/>… as points one ms apart (so the stored count is exact), 500 publishes in flight.</summary>
    private static async Task PublishAsync(TestPublisher agent, DateTimeOffset start, int first, int count, CancellationToken ct)
    {
        for (var from = first; from < first + count; from += 500)
        {
            await Task.WhenAll(Enumerable.Range(from, Math.Min(500, first + count - from)).Select(seq =>
                agent.PublishAsync("fh/v1/ap/civic-center/civic-1f-01", Encoding.UTF8.GetBytes(Payloads.Ap(start.AddMilliseconds(seq), seq)), ct)));
        }
    }
}
