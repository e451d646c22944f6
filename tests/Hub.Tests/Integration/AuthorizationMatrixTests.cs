using FacilityHub.Hub.Broker;
using FacilityHub.Hub.Tests.Support;
using FacilityHub.TestSupport;
using MQTTnet;

namespace FacilityHub.Hub.Tests.Integration;

/// <summary>
/// Fault test 6, the authorisation matrix, against the embedded broker and against Mosquitto started with the
/// passwd and acl files that <c>mosquitto-auth</c> writes from the same registry and settings (the hub then in
/// External mode with its own credentials). What must hold on both: an agent's allowed publishes are stored,
/// its publishes for another agent's site or status never reach storage, and bad or missing credentials and
/// revoked agents are refused. Where Mosquitto 2.0.11 answers differently, the test says so:
/// <list type="bullet">
/// <item>it refuses every bad CONNECT with Not authorized (0x87); the embedded broker says Bad username or
/// password (0x86) for a wrong secret or unknown agent;</item>
/// <item>it grants every SUBSCRIBE and filters by the ACL when delivering, so a denied subscription shows as
/// "nothing arrives" there, and as SUBACK Not authorized on the embedded broker;</item>
/// <item>a denied publish is dropped silently by Mosquitto, dead-lettered as not_authorized by the hub.</item>
/// </list>
/// </summary>
public sealed class AuthorizationMatrixTests(SharedInflux influx)
{
    public static TheoryData<string> Brokers => ["embedded", "mosquitto"];

    /// <summary>Each agent, one topic the registry assigns to it, and how to find the stored point.</summary>
    private static readonly AgentCase[] Agents =
    [
        new("edge-civic", "fh/v1/ap/civic-center/civic-1f-01", (ts, seq) => Payloads.Ap(ts, seq), "ap"),
        new("edge-shelters", "fh/v1/shelter/shl-juo-es", (ts, seq) => Payloads.Shelter(ts, seq), "shelter"),
        new("wx-office", "fh/v1/weather/wx-juo", (ts, seq) => Payloads.Weather(ts, seq), "weather"),
    ];

    private const string RevokedAgent = "edge-cc-juo";

    [Theory]
    [MemberData(nameof(Brokers))]
    public async Task Matrix_EachAgent_AllowedStoredDeniedNeitherStoredNorDelivered(string broker)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var setup = await AuthSetup.StartAsync(influx.Server, broker);
        var hub = setup.Hub;
        var ts = Payloads.NowMs(-60_000);

        var connections = new List<TestPublisher>();
        try
        {
            for (var i = 0; i < Agents.Length; i++)
            {
                var (me, other) = (Agents[i], Agents[(i + 1) % Agents.Length]);
                var agent = await TestPublisher.ConnectAsync(hub.MqttPort, TestConnection.Agent(me.Id, setup.Secrets[me.Id]));
                connections.Add(agent);

                // Subscribe first, so that a wrongly granted subscription would catch the other agents' publishes.
                Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS1, await agent.SubscribeAsync($"fh/v1/ack/{me.Id}", ct));
                foreach (var filter in new[] { "#", "fh/v1/#", $"fh/v1/ack/{other.Id}", "fh/v1/ap/+/+" })
                {
                    var code = await agent.SubscribeAsync(filter, ct);
                    if (broker == "embedded")
                    {
                        Assert.True(code == MqttClientSubscribeResultCode.NotAuthorized, $"{me.Id} subscribing {filter}: {code}");
                    }
                }

                // Allowed: its own site and its own status.
                await agent.PublishAsync(me.Topic, me.Payload(ts, 100 + i), ct);
                await agent.PublishAsync($"fh/v1/agent/{me.Id}/status", Payloads.Status(ts, queued: i), ct);

                // Denied: the next agent's site and the next agent's status (MQTT 5 PUBACK on both brokers).
                var site = await agent.PublishResultAsync(other.Topic, other.Payload(ts, 900 + i), ct);
                Assert.True(site.ReasonCode == MqttClientPublishReasonCode.NotAuthorized, $"{me.Id} publishing {other.Topic}: {site.ReasonCode}");
                var status = await agent.PublishResultAsync($"fh/v1/agent/{other.Id}/status", Payloads.Status(ts, queued: 99), ct);
                Assert.True(status.ReasonCode == MqttClientPublishReasonCode.NotAuthorized, $"{me.Id} publishing {other.Id}'s status: {status.ReasonCode}");

                // Allowed again, after the denied ones: once it is stored, everything before it has been through.
                await agent.PublishAsync(me.Topic, me.Payload(ts.AddSeconds(1), 200 + i), ct);
            }

            var db = influx.Server;
            foreach (var a in Agents)
            {
                await Wait.UntilAsync(async () => await CountAsync(db, hub.Database, a.Measurement, $"\"seq\" = {200 + Array.IndexOf(Agents, a)}") == 1,
                    $"{a.Id}'s last allowed publish to be stored");
                Assert.Equal(2, await CountAsync(db, hub.Database, a.Measurement, "\"seq\" < 900"));
                Assert.Equal(0, await CountAsync(db, hub.Database, a.Measurement, "\"seq\" >= 900"));
            }
            var statuses = await DataPathTests.QueryOrEmptyAsync(db, hub.Database, "SELECT * FROM agent");
            Assert.Equal(["edge-civic", "edge-shelters", "wx-office"], statuses.Select(r => r["agent"].GetString()).Order(StringComparer.Ordinal));
            Assert.DoesNotContain(statuses, r => r["queued"].GetInt64() == 99);

            var stats = await hub.StatsAsync();
            if (broker == "embedded")
            {
                await Wait.UntilAsync(async () => await db.CountAsync(hub.Database, "rejected", "topic", "\"reason\" = 'not_authorized'") == 6,
                    "six not_authorized dead letters");
                Assert.Equal(6, stats.RejectedByReason["not_authorized"]);
                var rejected = await hub.Http.GetStringAsync("api/rejected", ct);
                Assert.Contains("agent 'edge-civic' may not publish on this topic", rejected, StringComparison.Ordinal);
            }
            else
            {
                Assert.Equal(0, stats.Rejected); // Mosquitto dropped them: the hub never saw them
            }

            // Every agent published after every subscription was made, and all of it has been stored by now.
            foreach (var connection in connections)
            {
                await connection.Client.PingAsync(ct);
                Assert.True(connection.Received.IsEmpty,
                    $"a denied subscription delivered: {string.Join(", ", connection.Received.Select(m => m.Topic))}");
            }
        }
        finally
        {
            foreach (var connection in connections)
            {
                await connection.DisposeAsync();
            }
        }
    }

    [Theory]
    [MemberData(nameof(Brokers))]
    public async Task Connect_WrongSecretUnknownAnonymousOrRevoked_Refused(string broker)
    {
        await using var setup = await AuthSetup.StartAsync(influx.Server, broker);
        var port = setup.Hub.MqttPort;
        // Mosquitto answers every refusal with Not authorized; the embedded broker tells bad credentials apart.
        var badCredentials = broker == "embedded" ? MqttClientConnectResultCode.BadUserNameOrPassword : MqttClientConnectResultCode.NotAuthorized;

        Assert.Equal(badCredentials, await TestPublisher.TryConnectAsync(port, TestConnection.Agent("edge-civic", "wrong-secret")));
        Assert.Equal(badCredentials, await TestPublisher.TryConnectAsync(port, TestConnection.Agent("edge-nobody", setup.Secrets["edge-civic"])));
        Assert.Equal(badCredentials, await TestPublisher.TryConnectAsync(port,
            TestConnection.Agent("edge-civic", "wrong-secret") with { Version = MQTTnet.Formatter.MqttProtocolVersion.V311 }));
        Assert.Equal(MqttClientConnectResultCode.NotAuthorized, await TestPublisher.TryConnectAsync(port, new TestConnection("anonymous-device")));
        Assert.Equal(MqttClientConnectResultCode.NotAuthorized, await TestPublisher.TryConnectAsync(port,
            new TestConnection("anonymous-device", Version: MQTTnet.Formatter.MqttProtocolVersion.V311)));
        Assert.Equal(MqttClientConnectResultCode.NotAuthorized, await TestPublisher.TryConnectAsync(port, TestConnection.Agent(RevokedAgent, setup.Secrets[RevokedAgent])));
        // And the right secret still works.
        Assert.Equal(MqttClientConnectResultCode.Success, await TestPublisher.TryConnectAsync(port, TestConnection.Agent("edge-civic", setup.Secrets["edge-civic"])));

        if (broker == "embedded")
        {
            await setup.Hub.Process.WaitForLineAsync(l => l.Contains("Refused MQTT connection", StringComparison.Ordinal), "the refusals to be logged");
            Assert.Contains("wrong secret", setup.Hub.Process.Output, StringComparison.Ordinal);
        }
        // No secret, right or wrong, is ever logged.
        var logs = setup.Hub.Process.Output + (setup.Mosquitto?.Output ?? "");
        Assert.DoesNotContain("wrong-secret", logs, StringComparison.Ordinal);
        Assert.All(setup.Secrets.Values, s => Assert.DoesNotContain(s, logs, StringComparison.Ordinal));
    }

    private static async Task<long> CountAsync(InfluxServer db, string database, string measurement, string where) =>
        (await DataPathTests.QueryOrEmptyAsync(db, database, $"SELECT count(\"seq\") FROM \"{measurement}\" WHERE {where}")) is [var row, ..]
            ? row["count"].GetInt64()
            : 0;

    private sealed record AgentCase(string Id, string Topic, Func<DateTimeOffset, long, string> Payload, string Measurement);

    /// <summary>
    /// The hub with agent credentials and anonymous clients refused: on its embedded broker, or subscribed to a
    /// Mosquitto whose passwd and acl <c>mosquitto-auth</c> wrote from the same settings.
    /// </summary>
    private sealed class AuthSetup : IAsyncDisposable
    {
        private readonly TempDir _authDir = new("mosquitto-auth");

        public HubProcess Hub { get; private set; } = null!;

        public MosquittoServer? Mosquitto { get; private set; }

        public Dictionary<string, string> Secrets { get; } = Agents.Select(a => a.Id).Append(RevokedAgent)
            .ToDictionary(id => id, _ => Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(18)));

        public static async Task<AuthSetup> StartAsync(InfluxServer influx, string broker)
        {
            var setup = new AuthSetup();
            try
            {
                await setup.StartCoreAsync(influx, broker);
                return setup;
            }
            catch
            {
                await setup.DisposeAsync();
                throw;
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (Hub is not null)
            {
                await Hub.DisposeAsync();
            }
            if (Mosquitto is not null)
            {
                await Mosquitto.DisposeAsync();
            }
            _authDir.Dispose();
        }

        private async Task StartCoreAsync(InfluxServer influx, string broker)
        {
            // Hashed with the fewest iterations the hub accepts: the tests connect often.
            var settings = new List<string> { "--BrokerAuth:AllowAnonymous", "false" };
            foreach (var (id, secret) in Secrets)
            {
                settings.AddRange([$"--BrokerAuth:Agents:{id}:SecretHash", SecretHash.Create(secret, SecretHash.MinIterations).ToString()]);
            }
            settings.AddRange([$"--BrokerAuth:Agents:{RevokedAgent}:Revoked", "true"]);
            if (broker == "embedded")
            {
                Hub = await HubProcess.StartAsync(influx, null, [.. settings]);
                return;
            }

            // The hub's own Mosquitto user, from the settings it connects with.
            settings.AddRange(["--Broker:Username", "facilityhub", "--Broker:Password", Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(18))]);
            var generated = await HubCommand.RunAsync([BrokerAuthCommands.MosquittoAuth, "--out", _authDir.Path, "--registry", RepoPaths.SampleRegistry, .. settings]);
            Assert.True(generated.ExitCode == 0, generated.Stderr);
            Mosquitto = await MosquittoServer.StartWithAuthAsync(_authDir.Path);
            Hub = await HubProcess.StartAsync(influx, Mosquitto, [.. settings]);
        }
    }
}
