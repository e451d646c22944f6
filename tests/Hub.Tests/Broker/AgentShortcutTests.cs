using System.Diagnostics;
using System.Text;
using FacilityHub.Hub.Tests.Support;
using FacilityHub.TestSupport;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace FacilityHub.Hub.Tests.Broker;

/// <summary>
/// The embedded broker's direct path (AgentStream) with the real hub and InfluxDB, where MQTTnet's own rules apply:
/// its keep-alive watch closes a connection it has not heard from in 1.5 × the keep-alive.
/// </summary>
public sealed class AgentShortcutTests
{
    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task PublishingNonStop_ForFourKeepAlives_ConnectionStays_EveryMessageStored()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var influx = await InfluxServer.StartAsync();
        await using var hub = await HubProcess.StartAsync(influx);
        using var client = new MqttClientFactory().CreateMqttClient();
        var disconnects = 0;
        client.DisconnectedAsync += _ =>
        {
            Interlocked.Increment(ref disconnects);
            return Task.CompletedTask;
        };
        await client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", hub.MqttPort).WithClientId("keep-alive-" + Guid.NewGuid().ToString("N")[..8])
            .WithProtocolVersion(MqttProtocolVersion.V500).WithKeepAlivePeriod(KeepAlive).WithTimeout(TimeSpan.FromSeconds(10)).Build(), ct);

        // One publish after another, so the client never idles long enough to send a PINGREQ: MQTTnet hears from
        // this connection only through what the direct path passes on. Bounded by time and by count.
        var clock = Stopwatch.StartNew();
        var start = Payloads.NowMs();
        var sent = 0;
        while (clock.Elapsed < 4 * KeepAlive && sent < 20_000)
        {
            sent++;
            var message = new MqttApplicationMessageBuilder().WithTopic("fh/v1/shelter/shl-juo-es")
                .WithPayload(Encoding.UTF8.GetBytes(Payloads.Shelter(start.AddMilliseconds(-sent), 1_000_000 + sent)))
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build();
            var result = await client.PublishAsync(message, ct);
            Assert.True(result.IsSuccess, $"PUBACK {sent}: {result.ReasonCode}");
        }

        Assert.True(client.IsConnected, "the broker closed the connection");
        Assert.Equal(0, disconnects);
        await Wait.UntilAsync(async () => await influx.CountAsync(hub.Database, "shelter", "occupancy", "seq > 1000000") == sent,
            $"all {sent} messages in InfluxDB", ct: ct);
        await client.DisconnectAsync(cancellationToken: ct);
    }
}
