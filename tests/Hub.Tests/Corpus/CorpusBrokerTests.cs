using System.Globalization;
using System.Net;
using System.Text;
using FacilityHub.Contracts.Live;
using FacilityHub.Hub.Tests.Integration;
using FacilityHub.Hub.Tests.Support;
using FacilityHub.TestSupport;

namespace FacilityHub.Hub.Tests.Corpus;

/// <summary>
/// The whole corpus through a real broker into the real hub, several times over, each bad message followed by
/// a valid one from another agent: the hub stays healthy, records every bad message that reaches it with its
/// reason (in InfluxDB and in /api/stats), stores every valid one, and its memory does not keep growing.
/// On Mosquitto some bad messages never reach the hub (the corpus marks which, and why).
/// </summary>
public sealed class CorpusBrokerTests(SharedInflux influx, ITestOutputHelper output)
{
    private const int Rounds = 5;

    /// <summary>Generous: the hub's RSS is ~100 MB; a leak per message would show as hundreds of MB over the rounds.</summary>
    private const long MaxGrowthBytes = 64L * 1024 * 1024;

    private const string ValidTopic = "fh/v1/ap/civic-center/civic-1f-02";

    public static TheoryData<string> Brokers => ["embedded", "mosquitto"];

    [Theory]
    [MemberData(nameof(Brokers))]
    public async Task Corpus_PublishedRepeatedlyBetweenValidMessages_EachRecordedWithItsReasonValidStoredMemoryBounded(string broker)
    {
        var ct = TestContext.Current.CancellationToken;
        var viaMosquitto = broker == "mosquitto";
        await using var mosquitto = viaMosquitto ? await MosquittoServer.StartAsync() : null;
        // The corpus is about content; one sequential publisher would otherwise run into the per-client
        // publish limit, which FloodTests covers.
        await using var hub = await HubProcess.StartAsync(influx.Server, mosquitto, "--Ingest:MaxMessagesPerClientPerSecond", "0");
        await using var valid = await TestPublisher.ConnectAsync(hub.MqttPort, "corpus-valid");
        await using var raw = new RawPublisher(hub.MqttPort, "corpus-raw");

        var start = DateTimeOffset.UtcNow;
        var offsetMs = 0;
        // Each message gets its own millisecond as "now", so no two stored points share a series and a time.
        DateTimeOffset NextNow() => start.AddMilliseconds(-++offsetMs);
        var expectedLetters = new List<(string Name, string Reason, string Topic)>();
        var expectedCloses = 0;
        var sentValid = 0;
        var sentGood = 0;
        var goodKeys = new HashSet<string>(StringComparer.Ordinal);
        long rssAfterWarmUp = 0;

        for (var round = 1; round <= Rounds; round++)
        {
            foreach (var message in CorpusMessage.Bad)
            {
                var reachesHub = !viaMosquitto || !message.NeverReachesHubViaMosquitto;
                var acked = await raw.PublishAsync(message.TopicBytes, message.PayloadAt(NextNow()), ct);
                if (viaMosquitto && message.Mosquitto == "refused")
                {
                    // Mosquitto closes the connection, before the PUBACK or (for a denied $SYS publish) just after it:
                    // start the next message on a fresh one either way.
                    await raw.ReconnectAsync();
                }
                else
                {
                    Assert.True(acked != message.Violation, $"{message.Name} on {broker}: expected the broker to {(message.Violation ? "close the connection" : "acknowledge")}");
                    expectedCloses += message.Violation ? 1 : 0;
                }
                if (reachesHub)
                {
                    expectedLetters.Add((message.Name, message.Reason!, message.TopicAsReceived));
                }
                var ts = start.AddMinutes(-10).AddMilliseconds(sentValid);
                await valid.PublishAsync(ValidTopic, Payloads.Ap(ts.ToOffset(TimeSpan.FromHours(9)), seq: sentValid), ct);
                sentValid++;
            }
            foreach (var message in CorpusMessage.Good)
            {
                var payload = message.PayloadAt(NextNow());
                Assert.True(await raw.PublishAsync(message.TopicBytes, payload, ct), $"{message.Name}: not acknowledged");
                sentGood++;
                // One point per series and time: a fixed ts, or one in whole seconds, can be the same point in two rounds.
                var reading = CorpusDecoderTests.Decoder.Decode(message.TopicAsReceived, payload, DateTimeOffset.UtcNow).Reading!;
                goodKeys.Add(string.Create(CultureInfo.InvariantCulture, $"{message.TopicAsReceived} {reading.Ts.ToUnixTimeMilliseconds()}"));
            }
            if (round == 1)
            {
                // Measured once the hub has caught up, as at the end: behind Mosquitto it lags, and its backlog is not a leak.
                var soFar = expectedLetters.Count + sentValid + sentGood;
                await Wait.UntilAsync(async () => (await hub.StatsAsync()).Received >= soFar, "the hub to catch up with round 1", TimeSpan.FromSeconds(120));
                rssAfterWarmUp = hub.Process.ResidentBytes();
            }
        }

        var reachingHub = expectedLetters.Count + sentValid + sentGood;
        // Generous deadlines: on a busy 2-core machine the hub behind Mosquitto has taken 40 s to catch up.
        await Wait.UntilAsync(async () => (await hub.StatsAsync()).Received >= reachingHub,
            string.Create(CultureInfo.InvariantCulture, $"the hub to receive {reachingHub} messages"), TimeSpan.FromSeconds(120));
        var rssAfter = hub.Process.ResidentBytes();
        await Wait.UntilAsync(async () => await influx.Server.CountAsync(hub.Database, "rejected", "topic") >= expectedLetters.Count,
            string.Create(CultureInfo.InvariantCulture, $"{expectedLetters.Count} dead-letter records in InfluxDB"), TimeSpan.FromSeconds(120));
        await Wait.UntilAsync(async () => await influx.Server.CountAsync(hub.Database, "ap", "seq", "ap = 'civic-1f-02'") >= sentValid,
            "every valid message in InfluxDB", TimeSpan.FromSeconds(120));

        // Each round ends with the good messages: wait for the writer's last batch.
        var goodRows = 0;
        await Wait.UntilAsync(async () =>
        {
            goodRows = 0;
            foreach (var query in new[] { "SELECT * FROM ap WHERE ap = 'civic-1f-01'", "SELECT * FROM shelter WHERE shelter = 'shl-juo-es'", "SELECT * FROM weather WHERE station = 'wx-juo'", "SELECT * FROM agent WHERE agent = 'corpus-agent'" })
            {
                goodRows += (await DataPathTests.QueryOrEmptyAsync(influx.Server, hub.Database, query)).Count;
            }
            return goodRows >= goodKeys.Count;
        }, "every good corpus message in InfluxDB", TimeSpan.FromSeconds(120));
        Assert.Equal(goodKeys.Count, goodRows);

        using (var health = await hub.Http.GetAsync(HubRoutes.Health, ct))
        {
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        }
        Assert.False(hub.Process.HasExited);
        Assert.True(raw.Disconnects >= expectedCloses, $"{raw.Disconnects} disconnects, expected at least {expectedCloses}");

        var stats = await hub.StatsAsync();
        Assert.Equal(reachingHub, stats.Received);
        Assert.Equal(expectedLetters.Count, stats.Rejected);
        Assert.Equal(sentValid + sentGood, stats.Accepted);
        var expectedByReason = expectedLetters.GroupBy(l => l.Reason).ToDictionary(g => g.Key, g => (long)g.Count());
        Assert.Equal(expectedByReason.OrderBy(kv => kv.Key), stats.RejectedByReason.OrderBy(kv => kv.Key));

        // Every dead letter, in the order sent: the reason and topic of each line up with its corpus entry.
        var letters = await influx.Server.QueryAsync(hub.Database, "SELECT * FROM rejected");
        Assert.Equal(expectedLetters.Count, letters.Count);
        for (var i = 0; i < letters.Count; i++)
        {
            var (name, reason, topic) = expectedLetters[i];
            var stored = letters[i];
            Assert.True(reason == stored["reason"].GetString(), $"#{i} {name}: stored as {stored["reason"]} ({stored["detail"]})");
            var storedTopic = stored["topic"].GetString()!;
            Assert.True(storedTopic == topic || (topic.Length > 256 && storedTopic.StartsWith(topic[..256], StringComparison.Ordinal)),
                $"#{i} {name}: stored topic '{storedTopic}'");
        }
        var byReason = await influx.Server.QueryAsync(hub.Database, "SELECT count(topic) FROM rejected GROUP BY reason");
        Assert.Equal(expectedByReason.OrderBy(kv => kv.Key), byReason.ToDictionary(r => r["reason"].GetString()!, r => r["count"].GetInt64()).OrderBy(kv => kv.Key));

        Assert.Equal(sentValid, await influx.Server.CountAsync(hub.Database, "ap", "seq", "ap = 'civic-1f-02'"));

        var growth = rssAfter - rssAfterWarmUp;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{broker}: {Rounds} rounds, {reachingHub} messages at the hub, {expectedLetters.Count} dead letters, {raw.Disconnects} disconnects; RSS after round 1 {rssAfterWarmUp / 1048576.0:0.0} MB, after round {Rounds} {rssAfter / 1048576.0:0.0} MB"));
        Assert.True(growth < MaxGrowthBytes, string.Create(CultureInfo.InvariantCulture, $"hub RSS grew by {growth / 1048576.0:0.0} MB over {Rounds - 1} rounds"));
    }
}
