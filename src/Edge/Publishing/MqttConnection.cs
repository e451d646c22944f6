using System.Buffers;
using System.Reflection;
using System.Text.Json;
using System.Threading.Channels;
using FacilityHub.Contracts;
using FacilityHub.Contracts.Messages;
using FacilityHub.Contracts.Topics;
using FacilityHub.Edge.Outbox;
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
/// <c>offline</c> itself (a normal DISCONNECT discards the will). While connected it republishes the
/// status every <see cref="AgentOptions.StatusInterval"/> and within a second of a change the dashboard
/// should see (the outbox emptied or started to fill, a message was evicted).
/// After every connect it subscribes to the agent's ack topic: the session is clean, so the subscription
/// is made again each time, and acks sent while the agent was away are not needed, because everything
/// unacknowledged is re-sent after a reconnect anyway.
/// </summary>
internal sealed partial class MqttConnection : BackgroundService
{
    private static readonly TimeSpan CheckEvery = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan LongestRetry = TimeSpan.FromSeconds(30);

    private static readonly string Version =
        typeof(MqttConnection).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? "0.0.0";

    // Acks are small and the publisher applies them within milliseconds; should it ever fall this far
    // behind, dropping the oldest only costs a re-send of what they acknowledged.
    private const int AckQueueCapacity = 10_000;

    private readonly IMqttClient _client = new MqttClientFactory().CreateMqttClient();
    private readonly MqttOptions _mqtt;
    private readonly string _agentId;
    private readonly TimeSpan _statusInterval;
    private readonly TopicScheme _topics;
    private readonly OutboxStore _outbox;
    private readonly TimeProvider _time;
    private readonly ILogger<MqttConnection> _logger;
    private readonly string _ackTopic;

    private readonly Channel<byte[]> _acks = Channel.CreateBounded<byte[]>(
        new BoundedChannelOptions(AckQueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.DropOldest });

    // Completed while connected; replaced by a fresh one when the link drops. Publishers wait on it.
    private TaskCompletionSource _connected = NewSignal();

    private int _session;

    public MqttConnection(
        IOptions<MqttOptions> mqtt,
        IOptions<AgentOptions> agent,
        TopicScheme topics,
        OutboxStore outbox,
        TimeProvider time,
        ILogger<MqttConnection> logger)
    {
        _mqtt = mqtt.Value;
        _agentId = agent.Value.Id;
        _statusInterval = agent.Value.StatusInterval;
        _topics = topics;
        _outbox = outbox;
        _time = time;
        _logger = logger;
        _ackTopic = topics.Ack(_agentId);
        _client.ApplicationMessageReceivedAsync += e =>
        {
            if (string.Equals(e.ApplicationMessage.Topic, _ackTopic, StringComparison.Ordinal))
            {
                _acks.Writer.TryWrite(e.ApplicationMessage.Payload.ToArray());
            }
            return Task.CompletedTask;
        };
    }

    /// <summary>
    /// Connected, subscribed to the ack topic and announced online: the session has started. A fresh TCP
    /// connection whose subscription is still being made does not count, so nothing is published on a
    /// session whose acks the agent would not hear.
    /// </summary>
    public bool IsConnected => _client.IsConnected && Volatile.Read(ref _connected).Task.IsCompleted;

    /// <summary>
    /// Counts completed connects: a different value means a new broker session, in which anything
    /// published on the old one and not yet acknowledged may be lost.
    /// </summary>
    public int Session => Volatile.Read(ref _session);

    public string AckTopic => _ackTopic;

    /// <summary>Payloads received on <c>fh/v1/ack/{agentId}</c>, unparsed.</summary>
    public ChannelReader<byte[]> Acks => _acks.Reader;

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
        var statusDueAt = DateTimeOffset.MaxValue;
        var statusVersion = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            var wait = CheckEvery;
            if (_client.IsConnected && wasConnected && (_time.GetUtcNow() >= statusDueAt || _outbox.StateVersion != statusVersion))
            {
                // Due again after the interval even if this attempt fails, so a broker that refuses the
                // status is not asked again (and logged) every second.
                statusVersion = _outbox.StateVersion;
                statusDueAt = _time.GetUtcNow() + _statusInterval;
                try
                {
                    await PublishStatusAsync(AgentPresence.Online, stoppingToken);
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    break;
                }
                catch (Exception e)
                {
                    // The link is going down; the reconnect below publishes the status again.
                    Log.StatusFailed(_logger, Reason(e));
                }
            }
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
                    var subscribed = await _client.SubscribeAsync(
                        new MqttClientSubscribeOptionsBuilder().WithTopicFilter(_ackTopic, MqttQualityOfServiceLevel.AtLeastOnce).Build(),
                        stoppingToken);
                    if (subscribed.Items.FirstOrDefault()?.ResultCode is not (MqttClientSubscribeResultCode.GrantedQoS0 or MqttClientSubscribeResultCode.GrantedQoS1 or MqttClientSubscribeResultCode.GrantedQoS2))
                    {
                        throw new InvalidOperationException($"the broker refused the subscription to {_ackTopic}: {subscribed.Items.FirstOrDefault()?.ResultCode}");
                    }
                    statusVersion = _outbox.StateVersion;
                    await PublishStatusAsync(AgentPresence.Online, stoppingToken);
                    statusDueAt = _time.GetUtcNow() + _statusInterval;
                    wasConnected = true;
                    retry = FirstRetry;
                    Interlocked.Increment(ref _session);
                    Log.Connected(_logger, _mqtt.Host, _mqtt.Port, _agentId, _ackTopic);
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
            // An outbox re-sent after an outage goes out as fast as the socket takes it (MqttSocket).
            .WithTcpServer(tcp => tcp.BufferSize = MqttSocket.BufferBytes)
            .WithoutPacketFragmentation()
            .WithClientId(_agentId)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithCleanStart(true)
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(15))
            .WithTimeout(TimeSpan.FromSeconds(10))
            .WithWillTopic(_topics.AgentStatus(_agentId))
            .WithWillPayload(WillPayload())
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

    private byte[] StatusPayload(AgentPresence presence)
    {
        var now = _time.GetUtcNow();
        var outbox = _outbox.Stats();
        return JsonSerializer.SerializeToUtf8Bytes(
            new AgentStatus(CityTime.Stamp(now), presence, Version, outbox.Count, outbox.OldestUnackedSeconds(now), outbox.Evicted),
            ContractsJsonContext.Default.AgentStatus);
    }

    // The will is fixed at connect time and sent whenever the link dies, so outbox numbers in it would be
    // stale; it says only offline, and the last online status before it carries the numbers.
    private byte[] WillPayload() => JsonSerializer.SerializeToUtf8Bytes(
        new AgentStatus(CityTime.Stamp(_time.GetUtcNow()), AgentPresence.Offline, Version),
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
