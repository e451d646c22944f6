using FacilityHub.Contracts.Topics;
using FacilityHub.Hub.Ingest;
using Microsoft.Extensions.Options;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace FacilityHub.Hub.Broker;

/// <summary>
/// Ingest from an external broker (Mosquitto). A persistent MQTT 5 session (clean start off, session
/// expiry) makes the broker queue QoS 1 messages while the hub is away. MQTTnet's client handles
/// received messages one at a time and sends the PUBACK after the handler returns, so the broker
/// redelivers anything the hub had not queued for storage when it died.
/// MQTTnet 5 has no managed client, so this is the small reconnect loop its samples recommend.
/// </summary>
public sealed partial class ExternalBrokerClient(
    Ingestor ingestor,
    IOptions<BrokerOptions> options,
    TimeProvider time,
    ILogger<ExternalBrokerClient> logger) : BackgroundService, IBrokerStatus
{
    private static readonly TimeSpan CheckEvery = TimeSpan.FromSeconds(1);
    private readonly BrokerOptions _options = options.Value;
    private readonly TopicScheme _topics = new(options.Value.TopicPrefix);
    private IMqttClient? _client;

    public BrokerMode Mode => BrokerMode.External;

    public bool IsReady => _client?.IsConnected == true;

    public string Describe() => $"external MQTT at {_options.Host}:{_options.Port}";

    public async Task PublishAsync(string topic, byte[] payload, CancellationToken ct)
    {
        var client = _client is { IsConnected: true } c ? c : throw new InvalidOperationException("not connected to the MQTT broker");
        var message = new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build();
        var result = await client.PublishAsync(message, ct);
        if (!result.IsSuccess)
        {
            throw new InvalidOperationException($"the broker refused {topic}: {result.ReasonCode}");
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var client = new MqttClientFactory().CreateMqttClient();
        _client = client;
        // With No Local the hub never receives its own acks. In a shared group (where No Local is not allowed)
        // other hubs' acks arrive too: those are routed by the broker, not ingested. Anything else on an ack
        // topic came from a client and is dead-lettered like any message outside the scheme.
        var otherHubsAcks = _options.SharedGroup is null ? null : _topics.Prefix + "/ack/";
        client.ApplicationMessageReceivedAsync += e =>
            otherHubsAcks is not null && e.ApplicationMessage.Topic.StartsWith(otherHubsAcks, StringComparison.Ordinal)
                ? Task.CompletedTask
                : ingestor.AcceptAsync(e.ApplicationMessage.Topic, e.ApplicationMessage.Payload, publisher: null, stoppingToken).AsTask();

        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(_options.Host, _options.Port)
            // All of the city's traffic arrives on this one connection (see MqttSocket for what 8 KiB did to it).
            .WithTcpServer(tcp => tcp.BufferSize = MqttSocket.BufferBytes)
            .WithoutPacketFragmentation()
            .WithClientId(_options.ClientId)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithCleanStart(false)
            .WithSessionExpiryInterval((uint)_options.SessionExpiry.TotalSeconds)
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(15))
            .WithTimeout(TimeSpan.FromSeconds(10));
        if (_options.Username is not null)
        {
            builder.WithCredentials(_options.Username, _options.Password);
        }
        var clientOptions = builder.Build();
        var filter = _options.SharedGroup is { } group ? $"$share/{group}/{_topics.AllMessages}" : _topics.AllMessages;
        var attempt = 0;

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (!client.IsConnected)
                {
                    var connected = await client.ConnectAsync(clientOptions, stoppingToken);
                    if (connected.ResultCode != MqttClientConnectResultCode.Success)
                    {
                        // MQTTnet 5 reports a refused CONNECT (e.g. wrong Broker:Password) as a result, not an exception.
                        throw new InvalidOperationException($"the broker refused the connection: {connected.ResultCode}");
                    }
                    // Subscribing again is harmless when the session was resumed and needed when it was not.
                    // No Local: the hub does not get its own acks back (not allowed on shared subscriptions).
                    await client.SubscribeAsync(
                        new MqttClientSubscribeOptionsBuilder()
                            .WithTopicFilter(f => f.WithTopic(filter).WithAtLeastOnceQoS().WithNoLocal(_options.SharedGroup is null))
                            .Build(),
                        stoppingToken);
                    LogConnected(logger, _options.Host, _options.Port, filter, connected.IsSessionPresent);
                    attempt = 0;
                }
                await Task.Delay(CheckEvery, time, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                var delay = TimeSpan.FromMilliseconds(Math.Min(10_000, 250 * Math.Pow(2, Math.Min(attempt++, 6))));
                LogConnectFailed(logger, _options.Host, _options.Port, e.Message, delay);
                try
                {
                    await Task.Delay(delay, time, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }

        if (client.IsConnected)
        {
            await client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), CancellationToken.None);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Connected to MQTT broker {Host}:{Port}, subscribed to {Filter} (session resumed: {SessionPresent})")]
    private static partial void LogConnected(ILogger logger, string host, int port, string filter, bool sessionPresent);

    [LoggerMessage(Level = LogLevel.Warning, Message = "MQTT broker {Host}:{Port} unreachable ({Error}); retrying in {Delay}")]
    private static partial void LogConnectFailed(ILogger logger, string host, int port, string error, TimeSpan delay);
}
