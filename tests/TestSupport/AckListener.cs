using System.Collections.Concurrent;
using System.Text.Json;
using FacilityHub.Contracts;
using FacilityHub.Contracts.Messages;
using MQTTnet;
using MQTTnet.Formatter;

namespace FacilityHub.TestSupport;

/// <summary>Plays an edge agent's ack subscription: collects every seq the hub acknowledges to one agent.</summary>
public sealed class AckListener : IAsyncDisposable
{
    private readonly IMqttClient _client;

    private AckListener(IMqttClient client) => _client = client;

    public ConcurrentDictionary<long, DateTimeOffset> Acked { get; } = new();

    public static async Task<AckListener> ConnectAsync(int port, string agentId, string? username = null, string? password = null)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        var listener = new AckListener(client);
        client.ApplicationMessageReceivedAsync += e =>
        {
            var ack = JsonSerializer.Deserialize(e.ApplicationMessage.Payload.FirstSpan, ContractsJsonContext.Default.AckMessage)!;
            foreach (var seq in ack.Seqs())
            {
                listener.Acked.TryAdd(seq, DateTimeOffset.UtcNow);
            }
            return Task.CompletedTask;
        };
        var options = new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", port)
            .WithClientId($"{agentId}-acks-{Guid.NewGuid():N}"[..40])
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithTimeout(TimeSpan.FromSeconds(10));
        if (username is not null)
        {
            options.WithCredentials(username, password);
        }
        await client.ConnectAsync(options.Build());
        await client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter(f => f.WithTopic($"fh/v1/ack/{agentId}").WithAtLeastOnceQoS()).Build());
        return listener;
    }

    public async ValueTask DisposeAsync()
    {
        if (_client.IsConnected)
        {
            await _client.DisconnectAsync();
        }
        _client.Dispose();
    }
}
