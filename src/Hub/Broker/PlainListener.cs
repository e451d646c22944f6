using System.Net;
using System.Net.Sockets;
using MQTTnet.Adapter;
using MQTTnet.Diagnostics.Logger;
using MQTTnet.Formatter;
using MQTTnet.Implementations;
using MQTTnet.Server;

namespace FacilityHub.Hub.Broker;

/// <summary>
/// The embedded broker's unencrypted listener, bound to exactly <c>Broker:BindAddress</c>. It replaces MQTTnet's own
/// for three reasons, all measured:
/// MQTTnet reads a packet in three socket reads (its 2-byte fixed header, a length byte, the body), three system
/// calls per message; here MQTTnet reads from an <see cref="AgentStream"/>, so the packets that arrived together
/// cost one. That stream also takes agents' plain QoS 1 messages past MQTTnet's per-packet loop. And MQTTnet's
/// listener also binds the IPv6 wildcard beside an IPv4 address, which would open the broker on every IPv6 interface
/// of a hub configured for 127.0.0.1. TLS connections stay with MQTTnet's listener, whose
/// <see cref="System.Net.Security.SslStream"/> already reads whole records.
/// </summary>
internal sealed partial class PlainListener(IPEndPoint endpoint, PublishShortcut shortcut, TimeProvider time, ILogger logger) : IMqttServerAdapter
{
    /// <summary>Per connection: a few dozen of the hub's messages, so a burst is one read.</summary>
    public const int ReadAheadBytes = 16 * 1024;

    private Socket? _socket;
    private CancellationTokenSource? _stop;

    public Func<IMqttChannelAdapter, Task>? ClientHandler { get; set; }

    public Task StartAsync(MqttServerOptions options, IMqttNetLogger mqttLogger)
    {
        var endpointOptions = options.DefaultEndpointOptions;
        var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            // MQTTnet's listener settings, so a connection behaves as it did with MQTTnet's listener (an abort on close).
            socket.NoDelay = endpointOptions.NoDelay;
            if (endpointOptions.LingerState is { } linger)
            {
                socket.LingerState = linger;
            }
            socket.Bind(endpoint);
            socket.Listen(endpointOptions.ConnectionBacklog);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        _socket = socket;
        _stop = new CancellationTokenSource();
        _ = AcceptAsync(socket, options, mqttLogger, _stop.Token);
        return Task.CompletedTask;
    }

    public Task StopAsync()
    {
        _stop?.Cancel();
        _socket?.Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        StopAsync();
        _stop?.Dispose();
    }

    private async Task AcceptAsync(Socket listener, MqttServerOptions options, IMqttNetLogger mqttLogger, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptAsync(ct);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException e)
            {
                // Out of descriptors or the like: the listener stays, and the next accept is tried a little later.
                LogAcceptFailed(logger, endpoint, e.SocketErrorCode);
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), ct);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                continue;
            }
            _ = Task.Run(() => ServeAsync(client, options, mqttLogger), CancellationToken.None);
        }
    }

    private async Task ServeAsync(Socket client, MqttServerOptions options, IMqttNetLogger mqttLogger)
    {
        EndPoint? remote = null;
        try
        {
            remote = client.RemoteEndPoint;
            client.NoDelay = options.DefaultEndpointOptions.NoDelay;
            await using var stream = new AgentStream(new NetworkStream(client, ownsSocket: true), ReadAheadBytes, shortcut, time);
            var channel = new MqttTcpChannel(stream, client.LocalEndPoint, remote, null);
            var formatter = new MqttPacketFormatterAdapter(new MqttBufferWriter(options.WriterBufferSize, options.WriterBufferSizeMax));
            using var adapter = new MqttChannelAdapter(channel, formatter, mqttLogger)
            {
                AllowPacketFragmentation = options.DefaultEndpointOptions.AllowPacketFragmentation,
            };
            if (ClientHandler is { } handler)
            {
                await handler(adapter);
            }
        }
        catch (Exception e) when (e is ObjectDisposedException or OperationCanceledException
            || e is SocketException or IOException)
        {
            // The client went away or the broker stopped: nothing to report beyond MQTTnet's own connection events.
        }
        catch (Exception e)
        {
            LogConnectionFailed(logger, remote, e);
        }
        finally
        {
            client.Dispose();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "MQTT listener on {Endpoint} could not accept a connection: {Error}; retrying in 1 s")]
    private static partial void LogAcceptFailed(ILogger logger, IPEndPoint endpoint, SocketError error);

    [LoggerMessage(Level = LogLevel.Error, Message = "MQTT connection from {Remote} failed")]
    private static partial void LogConnectionFailed(ILogger logger, EndPoint? remote, Exception exception);
}
