using System.Globalization;
using FacilityHub.Edge.Outbox;
using FacilityHub.Edge.Tests.Support;
using FacilityHub.TestSupport;

namespace FacilityHub.Edge.Tests.Integration;

/// <summary>
/// Fault test 2 of issue 3, on the edge side: the real edge process killed with SIGKILL at random moments
/// while it publishes, 20 times. After each kill the test reads the outbox file as the next start will
/// find it; every message that was committed there must reach the test's hub, which acknowledges what it
/// receives as the real hub does.
/// </summary>
public sealed class EdgeKillTests(ITestOutputHelper output)
{
    private const string Agent = "edge-kill";
    private const int Kills = 20;

    [Fact]
    public async Task EdgeAgent_KilledTwentyTimesWhilePublishing_EveryCommittedMessageReachesTheHub()
    {
        using var dir = new TempDir("edge-kill");
        var outboxPath = dir.Combine("outbox.db");
        await using var broker = await MosquittoServer.StartAsync();
        await using var hub = await TestHub.ConnectAsync(broker.Port, Agent);
        // The Civic Center's 28 APs replayed from six hours ago at 120× real time: 336 messages a second,
        // so each kill lands amid commits, publishes and acks.
        string[] args =
        [
            "--Mqtt:Port", broker.Port.ToString(CultureInfo.InvariantCulture),
            "--Agent:Id", Agent,
            "--Sites:RegistryPath", RepoPaths.SampleRegistry,
            "--Outbox:Path", outboxPath,
            "--Simulator:Sites", "civic-center",
            "--Simulator:Kinds", "ap",
            "--Simulator:StartAt", (DateTimeOffset.UtcNow - TimeSpan.FromHours(6)).ToString("O", CultureInfo.InvariantCulture),
            "--Simulator:Speed", "120",
        ];
        var random = new Random(20261123);
        var committed = new HashSet<long>();
        var lastSeqs = new List<long>();

        for (var kill = 0; kill < Kills; kill++)
        {
            var before = hub.Count;
            // A random moment: after a random number of messages have come through this run.
            var after = random.Next(1, 400);
            await using (var edge = ServerProcess.StartProject("Edge", args))
            {
                await Wait.UntilAsync(
                    () => edge.HasExited ? throw new InvalidOperationException($"the edge exited: {edge.Output}") : hub.Count >= before + after,
                    $"{after} messages from run {kill + 1}", TimeSpan.FromSeconds(60));
                await edge.KillAsync();
            }

            // What the next start finds: every message committed and not yet acknowledged.
            using var outbox = OutboxStore.Open(outboxPath, 256L * 1024 * 1024, TimeSpan.FromDays(7), TimeProvider.System, new CollectingLoggerProvider().CreateLogger<OutboxStore>());
            committed.UnionWith(outbox.Read(long.MinValue, long.MaxValue, int.MaxValue).Select(m => m.Seq));
            lastSeqs.Add(outbox.LastSeq);
        }

        await using (var edge = ServerProcess.StartProject("Edge", args))
        {
            await Wait.UntilAsync(
                () => edge.HasExited ? throw new InvalidOperationException($"the edge exited: {edge.Output}") : committed.IsSubsetOf(hub.DistinctSeqs()),
                $"all {committed.Count} messages found in the outbox after the kills to reach the hub", TimeSpan.FromSeconds(60));
        }

        var received = hub.Received();
        output.WriteLine($"{Kills} kills; {committed.Count} messages were in the outbox after a kill; the hub received {received.Count} publishes of {received.Select(r => r.Seq).Distinct().Count()} messages");
        Assert.True(committed.Count > Kills, $"only {committed.Count} messages were caught in the outbox by the kills; the test did not test much");
        // A seq is never reused after a restart: every copy of a seq is the same message, byte for byte.
        foreach (var copies in received.GroupBy(r => r.Seq))
        {
            Assert.All(copies, c => Assert.Equal(copies.First().Payload, c.Payload));
        }
        // The outbox's last seq only grows from one run to the next.
        Assert.Equal(lastSeqs.Order(), lastSeqs);
    }
}
