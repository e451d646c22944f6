using System.Buffers;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using FacilityHub.Contracts.Topics;
using FacilityHub.Hub.Ingest;
using Microsoft.Extensions.Options;
using MQTTnet;
using MQTTnet.Protocol;
using MQTTnet.Server;
using MQTTnet.Server.Internal.Adapter;

namespace FacilityHub.Hub.Broker;

/// <summary>
/// The embedded MQTTnet broker. Ingest happens inside the publish interceptor: MQTTnet's per-connection
/// receive loop awaits it before it queues the PUBACK, so a publisher is acknowledged only once its
/// message is in the hub's storage queue, and a full queue slows the publisher down instead of losing
/// data. (MQTTnet's own per-subscriber queue drops when overloaded; the hub does not depend on it.)
/// Who may connect, publish and subscribe is <see cref="AgentAuthorization"/>'s decision, taken first.
/// On the unencrypted listener an agent's plain QoS 1 messages take a shorter way to the same ingest
/// (<see cref="AgentStream"/>, <see cref="IngestDirectAsync"/>), with the same decisions and the same answers.
/// </summary>
public sealed partial class EmbeddedBroker(
    Ingestor ingestor,
    PublishThrottle throttle,
    IOptions<BrokerOptions> options,
    AgentAuthorization authorization,
    TimeProvider time,
    ILogger<EmbeddedBroker> logger) : IHostedService, IBrokerStatus, IAsyncDisposable
{
    private readonly BrokerOptions _options = options.Value;
    private readonly TopicScheme _topics = new(options.Value.TopicPrefix);

    // Set for good once any client subscribes to more than its own acks: from then on MQTTnet routes every message,
    // since the direct path does not deliver to subscribers.
    private volatile bool _othersSubscribe;
    private MqttServer? _server;
    private X509Certificate2? _tlsCertificate;

    public BrokerMode Mode => BrokerMode.Embedded;

    public bool IsReady => _server?.IsStarted == true;

    public string Describe() => $"embedded MQTT on {_options.BindAddress}:{_options.Port}";

    public Task PublishAsync(string topic, byte[] payload, CancellationToken ct)
    {
        var server = _server ?? throw new InvalidOperationException("the embedded broker is not started");
        var message = new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build();
        return server.InjectApplicationMessage(new InjectedMqttApplicationMessage(message), ct);
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // The unencrypted endpoint is ours (PlainListener); MQTTnet's listener serves only TLS, when enabled.
        var serverOptions = new MqttServerOptionsBuilder()
            .WithoutDefaultEndpoint()
            // One write per packet (MqttSocket): acks and deliveries to subscribers go out as one segment each.
            .WithoutPacketFragmentation()
            .WithPersistentSessions()
            .WithTls(_options, out _tlsCertificate)
            .WithDefaultCommunicationTimeout(_options.ConnectTimeout)
            .Build();
        var factory = new MqttServerFactory();
        IMqttServerAdapter[] listeners =
        [
            new PlainListener(new IPEndPoint(_options.BindIPAddress(), _options.Port), IngestDirectAsync, time, logger),
            new MqttTcpServerAdapter(),
        ];
        _server = factory.CreateMqttServer(serverOptions, listeners, factory.DefaultLogger);
        _server.InterceptingPublishAsync += OnPublishAsync;
        _server.ValidatingConnectionAsync += authorization.ValidateConnectionAsync;
        _server.InterceptingSubscriptionAsync += OnSubscribingAsync;
        await _server.StartAsync();
        LogListening(logger, _options.BindAddress, _options.Port);
        if (_options.Tls.Enabled)
        {
            LogListeningTls(logger, _options.BindAddress, _options.Tls.Port);
        }
        authorization.LogPolicy();
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_server is { IsStarted: true })
        {
            await _server.StopAsync(new MqttServerStopOptions());
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await StopAsync(CancellationToken.None);
            _server.Dispose();
        }
        _tlsCertificate?.Dispose();
    }

    private async Task OnPublishAsync(InterceptingPublishEventArgs e)
    {
        // The hub's own publications (acks) are injected without a client id: routed, never ingested.
        if (string.IsNullOrEmpty(e.ClientId))
        {
            return;
        }
        if (!await authorization.AuthorizePublishAsync(e))
        {
            return;
        }
        var message = e.ApplicationMessage;
        var accepted = await IngestAsync(e.ClientId, e.UserName, message.Topic, message.Payload, e.CancellationToken);
        // A refused message is not forwarded to other subscribers: bad data stops at the hub.
        e.ProcessPublish = accepted;
        e.CloseConnection = PublishTopicRules.IsForbidden(message.Topic);
    }

    /// <summary>
    /// The direct path's ingest (<see cref="AgentStream"/>): what <see cref="OnPublishAsync"/> does for a message that
    /// needs nothing else of the broker, answered with the reason code MQTTnet would send. Null, before anything is done,
    /// for a message MQTTnet must take: one not authorized (MQTTnet's interceptor records and answers it), or one that
    /// other clients may be subscribed to. Forbidden topics never get here (<see cref="MqttWire.TryReadPlainPublish"/>).
    /// </summary>
    internal ValueTask<byte?> IngestDirectAsync(string clientId, string? userName, string topic, ReadOnlySequence<byte> payload, CancellationToken ct) =>
        _othersSubscribe || !authorization.MayPublish(userName, topic)
            ? ValueTask.FromResult<byte?>(null)
            : IngestAnsweredAsync(clientId, userName, topic, payload, ct);

    private async ValueTask<byte?> IngestAnsweredAsync(string clientId, string? userName, string topic, ReadOnlySequence<byte> payload, CancellationToken ct)
    {
        var accepted = await IngestAsync(clientId, userName, topic, payload, ct);
        // MQTTnet's answers to a message its interceptor accepted with no subscriber to route it to, and to one it refused.
        return (byte)(accepted ? MqttPubAckReasonCode.NoMatchingSubscribers : MqttPubAckReasonCode.Success);
    }

    /// <summary>What both paths do with an authorized message: the client's rate limit, then ingest.</summary>
    private async ValueTask<bool> IngestAsync(string clientId, string? userName, string topic, ReadOnlySequence<byte> payload, CancellationToken ct)
    {
        await throttle.WaitTurnAsync(clientId, ct);
        return await ingestor.AcceptAsync(topic, payload, string.IsNullOrEmpty(userName) ? null : userName, ct);
    }

    private async Task OnSubscribingAsync(InterceptingSubscriptionEventArgs e)
    {
        await authorization.InterceptSubscriptionAsync(e);
        // One agent's ack topic, exactly (no wildcards), matches no message an agent publishes.
        if (e.ProcessSubscription && !(_topics.TryParse(e.TopicFilter.Topic, out var address, out _) && address.Kind == TopicKind.Ack))
        {
            _othersSubscribe = true;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Embedded MQTT broker listening on {Address}:{Port}")]
    private static partial void LogListening(ILogger logger, string address, int port);

    [LoggerMessage(Level = LogLevel.Information, Message = "Embedded MQTT broker listening with TLS on {Address}:{Port}")]
    private static partial void LogListeningTls(ILogger logger, string address, int port);
}
