using System.Collections.Concurrent;
using System.Text;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace FacilityHub.TestSupport;

/// <summary>How a test client connects: client id, credentials, protocol, TLS.</summary>
public sealed record TestConnection(
    string? ClientId = null,
    string? Username = null,
    string? Password = null,
    MqttProtocolVersion Version = MqttProtocolVersion.V500,
    MqttClientTlsOptions? Tls = null)
{
    /// <summary>An agent as the brokers expect it: its id as client id and username, its secret as password.</summary>
    public static TestConnection Agent(string agentId, string secret) => new(agentId, agentId, secret);
}

/// <summary>
/// A plain MQTTnet client that publishes test messages at QoS 1 and checks each PUBACK; it keeps what
/// its subscriptions deliver in <see cref="Received"/>.
/// </summary>
public sealed class TestPublisher : IAsyncDisposable
{
    private readonly IMqttClient _client;

    private TestPublisher(IMqttClient client)
    {
        _client = client;
        _client.ApplicationMessageReceivedAsync += e =>
        {
            Received.Enqueue(e.ApplicationMessage);
            return Task.CompletedTask;
        };
    }

    public IMqttClient Client => _client;

    public ConcurrentQueue<MqttApplicationMessage> Received { get; } = new();

    public static Task<TestPublisher> ConnectAsync(int port, string? clientId = null, MqttProtocolVersion version = MqttProtocolVersion.V500) =>
        ConnectAsync(port, new TestConnection(clientId, Version: version));

    /// <summary>Connects, or throws with the broker's reason code when it refuses.</summary>
    public static async Task<TestPublisher> ConnectAsync(int port, TestConnection connection)
    {
        var (publisher, result) = await TryConnectCoreAsync(port, connection);
        if (result != MqttClientConnectResultCode.Success)
        {
            await publisher.DisposeAsync();
            throw new InvalidOperationException($"the broker on {port} refused {connection with { Password = "***" }}: {result}");
        }
        return publisher;
    }

    /// <summary>The CONNACK's reason code; the connection, if made, is closed again.</summary>
    public static async Task<MqttClientConnectResultCode> TryConnectAsync(int port, TestConnection connection)
    {
        var (publisher, result) = await TryConnectCoreAsync(port, connection);
        await publisher.DisposeAsync();
        return result;
    }

    public Task PublishAsync(string topic, string payload, CancellationToken ct = default) =>
        PublishAsync(topic, Encoding.UTF8.GetBytes(payload), ct);

    public async Task PublishAsync(string topic, byte[] payload, CancellationToken ct = default)
    {
        var result = await PublishResultAsync(topic, payload, ct);
        if (!result.IsSuccess)
        {
            throw new InvalidOperationException($"PUBACK for {topic} was {result.ReasonCode}: {result.ReasonString}");
        }
    }

    /// <summary>Publishes at QoS 1 and returns the PUBACK as it came, refusals included.</summary>
    public Task<MqttClientPublishResult> PublishResultAsync(string topic, string payload, CancellationToken ct = default) =>
        PublishResultAsync(topic, Encoding.UTF8.GetBytes(payload), ct);

    public Task<MqttClientPublishResult> PublishResultAsync(string topic, byte[] payload, CancellationToken ct = default) =>
        _client.PublishAsync(
            new MqttApplicationMessageBuilder()
                .WithTopic(topic)
                .WithPayload(payload)
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
                .Build(),
            ct);

    /// <summary>Subscribes at QoS 1 and returns the SUBACK's code for the filter.</summary>
    public async Task<MqttClientSubscribeResultCode> SubscribeAsync(string topicFilter, CancellationToken ct = default)
    {
        var result = await _client.SubscribeAsync(
            new MqttClientSubscribeOptionsBuilder().WithTopicFilter(topicFilter, MqttQualityOfServiceLevel.AtLeastOnce).Build(), ct);
        return result.Items.Single().ResultCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (_client.IsConnected)
        {
            await _client.DisconnectAsync();
        }
        _client.Dispose();
    }

    private static async Task<(TestPublisher, MqttClientConnectResultCode)> TryConnectCoreAsync(int port, TestConnection connection)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", port)
            .WithClientId(connection.ClientId ?? "test-" + Guid.NewGuid().ToString("N")[..8])
            .WithProtocolVersion(connection.Version)
            .WithTimeout(TimeSpan.FromSeconds(10));
        if (connection.Username is not null)
        {
            builder.WithCredentials(connection.Username, connection.Password);
        }
        if (connection.Tls is not null)
        {
            builder.WithTlsOptions(connection.Tls);
        }
        var publisher = new TestPublisher(client);
        var result = await client.ConnectAsync(builder.Build());
        return (publisher, result.ResultCode);
    }
}
