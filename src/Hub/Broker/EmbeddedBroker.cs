using System.Net;
using FacilityHub.Hub.Ingest;
using Microsoft.Extensions.Options;
using MQTTnet.Server;

namespace FacilityHub.Hub.Broker;

/// <summary>
/// The embedded MQTTnet broker. Ingest happens inside the publish interceptor: MQTTnet's per-connection
/// receive loop awaits it before it queues the PUBACK, so a publisher is acknowledged only once its
/// message is in the hub's storage queue, and a full queue slows the publisher down instead of losing
/// data. (MQTTnet's own per-subscriber queue drops when overloaded; the hub does not depend on it.)
/// </summary>
public sealed partial class EmbeddedBroker(
    Ingestor ingestor,
    PublishThrottle throttle,
    IOptions<BrokerOptions> options,
    ILogger<EmbeddedBroker> logger) : IHostedService, IBrokerStatus, IAsyncDisposable
{
    private readonly BrokerOptions _options = options.Value;
    private MqttServer? _server;

    public BrokerMode Mode => BrokerMode.Embedded;

    public bool IsReady => _server?.IsStarted == true;

    public string Describe() => $"embedded MQTT on {_options.BindAddress}:{_options.Port}";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var serverOptions = new MqttServerOptionsBuilder()
            .WithDefaultEndpoint()
            .WithDefaultEndpointBoundIPAddress(IPAddress.Parse(_options.BindAddress))
            .WithDefaultEndpointPort(_options.Port)
            .WithPersistentSessions()
            .WithDefaultCommunicationTimeout(_options.ConnectTimeout)
            .Build();
        _server = new MqttServerFactory().CreateMqttServer(serverOptions);
        _server.InterceptingPublishAsync += OnPublishAsync;
        _server.ValidatingConnectionAsync += OnConnectingAsync;
        await _server.StartAsync();
        LogListening(logger, _options.BindAddress, _options.Port);
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
    }

    private static Task OnConnectingAsync(ValidatingConnectionEventArgs e)
    {
        // MQTT lets a clean-session client connect without an id and have the server assign one;
        // simple devices (and mosquitto_pub) rely on that.
        if (string.IsNullOrEmpty(e.ClientId))
        {
            e.AssignedClientIdentifier = "anon-" + Guid.NewGuid().ToString("N");
        }
        return Task.CompletedTask;
    }

    private async Task OnPublishAsync(InterceptingPublishEventArgs e)
    {
        // The hub's own publications (acks) are injected without a client id: routed, never ingested.
        if (string.IsNullOrEmpty(e.ClientId))
        {
            return;
        }
        var message = e.ApplicationMessage;
        await throttle.WaitTurnAsync(e.ClientId, e.CancellationToken);
        var accepted = await ingestor.AcceptAsync(message.Topic, message.Payload, e.CancellationToken);
        // A refused message is not forwarded to other subscribers: bad data stops at the hub.
        e.ProcessPublish = accepted;
        e.CloseConnection = PublishTopicRules.IsForbidden(message.Topic);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Embedded MQTT broker listening on {Address}:{Port}")]
    private static partial void LogListening(ILogger logger, string address, int port);
}
