using System.Net;
using System.Security.Cryptography.X509Certificates;
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
/// </summary>
public sealed partial class EmbeddedBroker(
    Ingestor ingestor,
    PublishThrottle throttle,
    IOptions<BrokerOptions> options,
    AgentAuthorization authorization,
    ILogger<EmbeddedBroker> logger) : IHostedService, IBrokerStatus, IAsyncDisposable
{
    private readonly BrokerOptions _options = options.Value;
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
            new PlainListener(new IPEndPoint(_options.BindIPAddress(), _options.Port), logger),
            new MqttTcpServerAdapter(),
        ];
        _server = factory.CreateMqttServer(serverOptions, listeners, factory.DefaultLogger);
        _server.InterceptingPublishAsync += OnPublishAsync;
        _server.ValidatingConnectionAsync += authorization.ValidateConnectionAsync;
        _server.InterceptingSubscriptionAsync += authorization.InterceptSubscriptionAsync;
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
        await throttle.WaitTurnAsync(e.ClientId, e.CancellationToken);
        var accepted = await ingestor.AcceptAsync(message.Topic, message.Payload, string.IsNullOrEmpty(e.UserName) ? null : e.UserName, e.CancellationToken);
        // A refused message is not forwarded to other subscribers: bad data stops at the hub.
        e.ProcessPublish = accepted;
        e.CloseConnection = PublishTopicRules.IsForbidden(message.Topic);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Embedded MQTT broker listening on {Address}:{Port}")]
    private static partial void LogListening(ILogger logger, string address, int port);

    [LoggerMessage(Level = LogLevel.Information, Message = "Embedded MQTT broker listening with TLS on {Address}:{Port}")]
    private static partial void LogListeningTls(ILogger logger, string address, int port);
}
