using System.Globalization;
using FacilityHub.Edge.Tests.Support;
using FacilityHub.TestSupport;

namespace FacilityHub.Edge.Tests.Simulation;

/// <summary>
/// What fault test 1 of issue 3 builds on: the agent replays two hours of readings in seconds
/// (<c>Simulator:StartAt</c>, <c>Simulator:Speed</c>) and stops after an exact count
/// (<c>Simulator:MaxMessages</c>), delivered through the outbox to a real broker.
/// </summary>
public sealed class SimulatedReplayTests(ITestOutputHelper output) : IDisposable
{
    private const string Agent = "edge-replay";
    private readonly TempDir _dir = new("edge-replay");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Simulator_TwoHoursBackAtHighSpeed_ReplaysEveryDeviceInOrderNeverAheadOfRealTimeAndStopsAtMaxMessages()
    {
        // The Civic Center's 28 APs every 10 s for just under the two hours (the rest would be live, every 10 s of real time).
        const int expected = 28 * 700;
        await using var broker = await MosquittoServer.StartAsync();
        await using var hub = await TestHub.ConnectAsync(broker.Port, Agent);
        var startAt = DateTimeOffset.UtcNow - TimeSpan.FromHours(2);
        var started = DateTimeOffset.UtcNow;
        await using var edge = await EdgeHost.StartAsync(broker.Port, Agent, _dir.Combine("outbox.db"),
            ("Simulator:Sites", "civic-center"),
            ("Simulator:Kinds", "ap"),
            ("Simulator:Interval", "00:00:10"),
            ("Simulator:StartAt", startAt.ToString("O", CultureInfo.InvariantCulture)),
            ("Simulator:Speed", "1800"),
            ("Simulator:MaxMessages", expected.ToString(CultureInfo.InvariantCulture)));

        await Wait.UntilAsync(() => hub.DistinctSeqs().Count >= expected && edge.Outbox.Count == 0,
            $"{expected} messages delivered and acknowledged", TimeSpan.FromSeconds(60));
        var took = DateTimeOffset.UtcNow - started;

        var received = hub.Received().GroupBy(r => r.Seq).Select(g => g.First()).OrderBy(r => r.Seq).ToList();
        Assert.Equal(expected, received.Count);
        await Wait.UntilAsync(() => edge.Logs.Lines.Any(l => l.Message.StartsWith($"Produced {expected} messages", StringComparison.Ordinal)), "the simulator to stop at Simulator:MaxMessages");
        Assert.Equal(expected, edge.Outbox.LastSeq - received[0].Seq + 1);
        var stamps = received.Select(r => DateTimeOffset.Parse(r.Ts, CultureInfo.InvariantCulture)).ToList();
        Assert.All(stamps, ts => Assert.True(ts <= DateTimeOffset.UtcNow, $"ts {ts:O} is ahead of real time"));
        Assert.True(stamps.Min() - startAt < TimeSpan.FromSeconds(1), $"the replay started at {stamps.Min():O}, not {startAt:O}");
        Assert.True(stamps.Max() - stamps.Min() > TimeSpan.FromMinutes(116), $"the replay covers {stamps.Max() - stamps.Min()}, not two hours");
        foreach (var device in received.GroupBy(r => r.Topic))
        {
            var times = device.Select(r => DateTimeOffset.Parse(r.Ts, CultureInfo.InvariantCulture)).ToList();
            Assert.Equal(times.Order(), times);
            Assert.Equal(times.Count, times.Distinct().Count());
        }
        output.WriteLine($"two hours of {received.GroupBy(r => r.Topic).Count()} APs ({expected} messages) replayed and acknowledged in {took.TotalSeconds:F1} s");
    }
}
