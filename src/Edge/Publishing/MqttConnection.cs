using System.Reflection;
using System.Text.Json;
using FacilityHub.Contracts;
using FacilityHub.Contracts.Messages;
using FacilityHub.Contracts.Topics;
using Microsoft.Extensions.Options;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace FacilityHub.Edge.Publishing;

/// <summary>
/// The agent's one MQTT connection. MQTTnet 5 has no managed client, so this keeps the connection up
/// itself: connect, and whenever the link is down, reconnect with exponential backoff. After every
/// connect it publishes the retained <c>online</c> status; its Last Will is the same topic retained
/// <c>offline</c>, so a crash or a cut cable shows up on the dashboard, and a clean stop publishes
/// <c>offline</c> itself (a normal DISCONNECT discards the will).
/// </summary>
internal sealed partial class MqttConnection : BackgroundService
{
    private static readonly TimeSpan CheckEvery = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan LongestRetry = TimeSpan.FromSeconds(30);

    private static readonly string Version =
        typeof(MqttConnection).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? "0.0.0";

    private readonly IMqttClient _client = new MqttClientFactory().CreateMqttClient();
    private readonly MqttOptions _mqtt;
    private readonly string _agentId;
    private readonly TopicScheme _topics;
    private readonly TimeProvider _time;
    private readonly ILogger<MqttConnection> _logger;

    // Completed while connected; replaced by a fresh one when the link drops. Publishers wait on it.
    private TaskCompletionSource _connected = NewSignal();

    public MqttConnection(
        IOptions<MqttOptions> mqtt,
        IOptions<AgentOptions> agent,
        TopicScheme topics,
        TimeProvider time,
        ILogger<MqttConnection> logger)
    {
        _mqtt = mqtt.Value;
        _agentId = agent.Value.Id;
        _topics = topics;
        _time = time;
        _logger = logger;
    }

    public bool IsConnected => _client.IsConnected;

    /// <summary>Returns once the agent is connected and has announced itself online.</summary>
    public async Task WaitUntilConnectedAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            await Volatile.Read(ref _connected).Task.WaitAsync(cancellationToken);
            if (_client.IsConnected)
            {
                return;
            }
            // The link dropped after the signal was set; give the loop time to notice and reconnect.
            await Task.Delay(CheckEvery, _time, cancellationToken);
        }
    }

    /// <summary>Publishes with QoS 1, not retained; true once the broker has acknowledged it.</summary>
    public async Task<bool> PublishAsync(OutgoingMessage message, CancellationToken cancellationToken)
    {
        var mqttMessage = new MqttApplicationMessageBuilder()
            .WithTopic(message.Topic)
            .WithPayload(message.Payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithRetainFlag(false)
            .Build();
        var result = await _client.PublishAsync(mqttMessage, cancellationToken);
        return result.IsSuccess;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var retry = FirstRetry;
        var wasConnected = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            var wait = CheckEvery;
            if (!_client.IsConnected)
            {
                if (wasConnected)
                {
                    wasConnected = false;
                    Volatile.Write(ref _connected, NewSignal());
                    Log.ConnectionLost(_logger, _mqtt.Host, _mqtt.Port);
                }
                try
                {
                    await _client.ConnectAsync(ClientOptions(), stoppingToken);
                    await PublishStatusAsync(AgentPresence.Online, stoppingToken);
                    wasConnected = true;
                    retry = FirstRetry;
                    Log.Connected(_logger, _mqtt.Host, _mqtt.Port, _agentId);
                    Volatile.Read(ref _connected).TrySetResult();
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    break;
                }
                catch (Exception e)
                {
                    // Any failure, including one after CONNACK, means start over: drop a half-made
                    // connection so that the online status is always published on the next attempt.
                    await DisconnectQuietlyAsync();
                    wait = Jittered(retry);
                    Log.ConnectFailed(_logger, _mqtt.Host, _mqtt.Port, Reason(e), wait);
                    retry = TimeSpan.FromTicks(Math.Min(retry.Ticks * 2, LongestRetry.Ticks));
                }
            }
            try
            {
                await Task.Delay(wait, _time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (!_client.IsConnected)
        {
            return;
        }
        try
        {
            await PublishStatusAsync(AgentPresence.Offline, cancellationToken);
            await _client.DisconnectAsync(
                new MqttClientDisconnectOptionsBuilder().WithReason(MqttClientDisconnectOptionsReason.NormalDisconnection).Build(),
                cancellationToken);
            Log.Stopped(_logger, _mqtt.Host, _mqtt.Port);
        }
        catch (Exception e)
        {
            // The broker will publish the Last Will instead; nothing else to do on the way out.
            Log.StopFailed(_logger, Reason(e));
        }
    }

    public override void Dispose()
    {
        _client.Dispose();
        base.Dispose();
    }

    private MqttClientOptions ClientOptions()
    {
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(_mqtt.Host, _mqtt.Port)
            .WithClientId(_agentId)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithCleanStart(true)
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(15))
            .WithTimeout(TimeSpan.FromSeconds(10))
            .WithWillTopic(_topics.AgentStatus(_agentId))
            .WithWillPayload(StatusPayload(AgentPresence.Offline))
            .WithWillQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithWillRetain(true);
        if (!string.IsNullOrEmpty(_mqtt.Username))
        {
            builder.WithCredentials(_mqtt.Username, _mqtt.Password);
        }
        return builder.Build();
    }

    private async Task PublishStatusAsync(AgentPresence presence, CancellationToken cancellationToken)
    {
        var message = new MqttApplicationMessageBuilder()
            .WithTopic(_topics.AgentStatus(_agentId))
            .WithPayload(StatusPayload(presence))
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithRetainFlag(true)
            .Build();
        var result = await _client.PublishAsync(message, cancellationToken);
        if (!result.IsSuccess)
        {
            throw new InvalidOperationException($"the broker refused the {presence} status: {result.ReasonCode}");
        }
    }

    // The simulator has no outbox yet, so nothing is ever queued.
    private byte[] StatusPayload(AgentPresence presence) => JsonSerializer.SerializeToUtf8Bytes(
        new AgentStatus(CityTime.Stamp(_time.GetUtcNow()), presence, Version, Queued: 0),
        ContractsJsonContext.Default.AgentStatus);

    private async Task DisconnectQuietlyAsync()
    {
        try
        {
            if (_client.IsConnected)
            {
                await _client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), CancellationToken.None);
            }
        }
        catch (Exception)
        {
            // Already broken; the next connect attempt starts from scratch anyway.
        }
    }

    // Many agents behind one restarted broker must not all come back in the same second.
    private static TimeSpan Jittered(TimeSpan delay) =>
        TimeSpan.FromMilliseconds(Math.Round(delay.TotalMilliseconds * (0.8 + (0.4 * Random.Shared.NextDouble()))));

    // MQTTnet wraps the socket error ("Connection refused") that an operator actually needs to see.
    private static string Reason(Exception e) =>
        e.InnerException is { } inner && !e.Message.Contains(inner.Message, StringComparison.Ordinal)
            ? $"{e.Message.TrimEnd('.')}: {inner.Message}"
            : e.Message;

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
