using System.Text.Json;
using FacilityHub.Contracts.Crowding;
using FacilityHub.Contracts.Messages;
using FacilityHub.Hub.Tests.Support;
using FacilityHub.TestSupport;

namespace FacilityHub.Hub.Tests.Integration;

/// <summary>
/// The whole data path on real components: MQTT publish (to the hub's embedded broker, or to Mosquitto
/// with the hub subscribed) → InfluxDB point with the payload's timestamp and the schema's fields, and a
/// SignalR.Client subscriber receiving the state.
/// </summary>
public sealed class DataPathTests(SharedInflux influx)
{
    public static TheoryData<string> Brokers => ["embedded", "mosquitto"];

    [Theory]
    [MemberData(nameof(Brokers))]
    public async Task Publish_EachPayloadKind_StoredWithPayloadTimeAndPushedLive(string broker)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var mosquitto = broker == "mosquitto" ? await MosquittoServer.StartAsync() : null;
        await using var hub = await HubProcess.StartAsync(influx.Server, mosquitto);
        await using var live = await LiveListener.ConnectAsync(hub);
        await using var agent = await TestPublisher.ConnectAsync(hub.MqttPort);

        var ts = Payloads.NowMs(-60_000);
        await agent.PublishAsync("fh/v1/ap/civic-center/civic-1f-01", Payloads.Ap(ts, seq: 1), ct);
        await agent.PublishAsync("fh/v1/shelter/shl-juo-es", Payloads.Shelter(ts, seq: 2, occupancy: 123), ct);
        await agent.PublishAsync("fh/v1/weather/wx-juo", Payloads.Weather(ts, seq: 3), ct);
        await agent.PublishAsync("fh/v1/agent/test-agent/status", Payloads.Status(ts), ct);

        var db = influx.Server;
        var ap = await WaitForRowAsync(db, hub.Database, "SELECT * FROM ap WHERE ap = 'civic-1f-01'");
        Assert.Equal(ts.ToUnixTimeMilliseconds(), ap["time"].GetInt64());
        Assert.Equal("civic-center", ap["site"].GetString());
        Assert.Equal("nakamachi", ap["district"].GetString());
        Assert.True(ap["up"].GetBoolean());
        Assert.Equal(12, ap["clients_2g"].GetInt64());
        Assert.Equal(31, ap["clients_5g"].GetInt64());
        Assert.Equal(42.5, ap["channel_util_2g_pct"].GetDouble());
        Assert.Equal(1234567, ap["rx_bps"].GetDouble());
        Assert.Equal(-92, ap["noise_dbm"].GetDouble());
        Assert.Equal(86400, ap["uptime_s"].GetInt64());
        Assert.Equal(40.5, ap["mem_pct"].GetDouble());
        Assert.Equal(1, ap["seq"].GetInt64());

        var shelter = await WaitForRowAsync(db, hub.Database, "SELECT * FROM shelter WHERE shelter = 'shl-juo-es'");
        Assert.Equal(ts.ToUnixTimeMilliseconds(), shelter["time"].GetInt64());
        Assert.Equal(123, shelter["occupancy"].GetInt64());
        Assert.Equal(220, shelter["capacity"].GetInt64()); // the registry's 想定収容人数: the report omitted it
        Assert.Equal(55.91, shelter["occupancy_pct"].GetDouble());
        Assert.Equal("somewhat_crowded", shelter["level"].GetString());
        Assert.True(shelter["open"].GetBoolean());
        Assert.True(shelter["accepting"].GetBoolean());

        var weather = await WaitForRowAsync(db, hub.Database, "SELECT * FROM weather WHERE station = 'wx-juo'");
        Assert.Equal(ts.ToUnixTimeMilliseconds(), weather["time"].GetInt64());
        Assert.Equal(12.4, weather["temperature_c"].GetDouble());
        Assert.Equal(225, weather["wind_dir_deg"].GetDouble());
        // Absent elements are absent fields, never zeros.
        Assert.True(IsAbsent(weather, "humidity_pct"));
        Assert.True(IsAbsent(weather, "rain_1h_mm"));

        var status = await WaitForRowAsync(db, hub.Database, "SELECT * FROM agent WHERE agent = 'test-agent'");
        Assert.True(status["online"].GetBoolean());

        await Wait.UntilAsync(() => live.Aps.Any(a => a.ApId == "civic-1f-01"), "the AP state over SignalR");
        var apState = live.Aps.Last(a => a.ApId == "civic-1f-01");
        Assert.Equal(ts, apState.Sample.Ts);
        Assert.Equal(31, apState.Sample.Clients5g);
        await Wait.UntilAsync(() => live.Shelters.Any(s => s.ShelterId == "shl-juo-es"), "the shelter state over SignalR");
        var shelterState = live.Shelters.Last(s => s.ShelterId == "shl-juo-es");
        Assert.Equal(CrowdingLevel.SomewhatCrowded, shelterState.Level);
        Assert.Equal(220, shelterState.Capacity);
        await Wait.UntilAsync(() => live.Weather.Any(w => w.StationId == "wx-juo"), "the weather state over SignalR");
        Assert.Equal(12.4, live.Weather.Last(w => w.StationId == "wx-juo").Observation.TemperatureC);
        await Wait.UntilAsync(() => live.Agents.Any(a => a.AgentId == "test-agent"), "the agent state over SignalR");
        Assert.Equal(AgentPresence.Online, live.Agents.Last(a => a.AgentId == "test-agent").Status.State);

        var snapshot = await hub.LatestAsync();
        Assert.Contains(snapshot.Aps, a => a.ApId == "civic-1f-01" && a.Sample.Ts == ts);
        Assert.Contains(snapshot.Shelters, s => s.ShelterId == "shl-juo-es" && s.Report.Occupancy == 123);
    }

    [Theory]
    [MemberData(nameof(Brokers))]
    public async Task Publish_MalformedMessage_DeadLetteredAndNextValidFlows(string broker)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var mosquitto = broker == "mosquitto" ? await MosquittoServer.StartAsync() : null;
        await using var hub = await HubProcess.StartAsync(influx.Server, mosquitto);
        await using var agent = await TestPublisher.ConnectAsync(hub.MqttPort);

        var ts = Payloads.NowMs();
        await agent.PublishAsync("fh/v1/weather/wx-juo", $$"""{"ts":"{{Payloads.Ts(ts)}}","humidityPct":140}""", ct);
        await agent.PublishAsync("fh/v1/shelter/shl-unknown", Payloads.Shelter(ts, 1), ct);
        await agent.PublishAsync("fh/v1/shelter/shl-juo-es", [0x7B, 0xFF, 0xFE, 0x7D], ct);
        await agent.PublishAsync("fh/v1/shelter/shl-juo-es", Payloads.Shelter(ts, seq: 2, occupancy: 10), ct);

        var db = influx.Server;
        await Wait.UntilAsync(async () => await db.CountAsync(hub.Database, "rejected", "topic") == 3, "three dead-letter records");
        var rejected = await db.QueryAsync(hub.Database, "SELECT * FROM rejected");
        Assert.Contains(rejected, r => r["reason"].GetString() == "out_of_range" && r["topic"].GetString() == "fh/v1/weather/wx-juo"
            && r["payload_head"].GetString()!.Contains("\"humidityPct\":140", StringComparison.Ordinal));
        Assert.Contains(rejected, r => r["reason"].GetString() == "unknown_id" && r["topic"].GetString() == "fh/v1/shelter/shl-unknown");
        Assert.Contains(rejected, r => r["reason"].GetString() == "invalid_json" && r["payload_head"].GetString()!.StartsWith("base64:", StringComparison.Ordinal));

        var shelter = await WaitForRowAsync(db, hub.Database, "SELECT * FROM shelter WHERE shelter = 'shl-juo-es'");
        Assert.Equal(10, shelter["occupancy"].GetInt64());
        Assert.Equal(0, await db.CountAsync(hub.Database, "weather", "humidity_pct"));

        var stats = await hub.StatsAsync();
        Assert.Equal(3, stats.Rejected);
        Assert.Equal(1, stats.RejectedByReason["out_of_range"]);
        var recent = await hub.Http.GetStringAsync("api/rejected", ct);
        Assert.Contains("humidityPct 140 is outside 0–100", recent, StringComparison.Ordinal);
    }

    private static bool IsAbsent(Dictionary<string, JsonElement> row, string field) =>
        !row.TryGetValue(field, out var value) || value.ValueKind == JsonValueKind.Null;

    internal static async Task<Dictionary<string, JsonElement>> WaitForRowAsync(InfluxServer server, string database, string query)
    {
        IReadOnlyList<Dictionary<string, JsonElement>> rows = [];
        await Wait.UntilAsync(async () => (rows = await QueryOrEmptyAsync(server, database, query)).Count > 0, $"a row for: {query}");
        return rows[^1];
    }

    internal static async Task<IReadOnlyList<Dictionary<string, JsonElement>>> QueryOrEmptyAsync(InfluxServer server, string database, string query)
    {
        try
        {
            return await server.QueryAsync(database, query);
        }
        catch (InvalidOperationException e) when (e.Message.Contains("database not found", StringComparison.Ordinal))
        {
            return [];
        }
    }
}
