using System.Net;
using FacilityHub.Contracts;
using FacilityHub.Contracts.Topics;
using FacilityHub.Hub.Configuration;

namespace FacilityHub.Hub.Broker;

public enum BrokerMode
{
    /// <summary>The hub is the broker (MQTTnet server in-process): one process to run, ingest with backpressure.</summary>
    Embedded,

    /// <summary>The hub subscribes to an external broker (Mosquitto, EMQX, …).</summary>
    External,
}

public sealed class BrokerOptions : IValidatedOptions
{
    public const string Section = "Broker";

    public BrokerMode Mode { get; set; } = BrokerMode.Embedded;

    /// <summary>Embedded: the address to listen on. External: unused.</summary>
    public string BindAddress { get; set; } = "127.0.0.1";

    /// <summary>External: the broker's host.</summary>
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>Embedded: the port to listen on. External: the broker's port.</summary>
    public int Port { get; set; } = 1883;

    public string TopicPrefix { get; set; } = TopicScheme.DefaultPrefix;

    /// <summary>External: the hub's client id; its persistent session keeps messages queued while the hub is away.</summary>
    public string ClientId { get; set; } = "facilityhub";

    public string? Username { get; set; }
    public string? Password { get; set; }

    /// <summary>External: how long the broker keeps the hub's session (and queues its messages) while it is disconnected.</summary>
    public TimeSpan SessionExpiry { get; set; } = TimeSpan.FromDays(1);

    /// <summary>
    /// Embedded: how long a new connection may take to send its CONNECT. Bounds connections that announce a
    /// huge packet and never send it, or send nothing at all (MQTTnet's own default is 100 s).
    /// </summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>External: MQTT 5 shared-subscription group, so several hubs split the load ($share/{group}/…).</summary>
    public string? SharedGroup { get; set; }

    /// <summary>Embedded: an optional TLS listener beside the plain one (<see cref="BrokerTlsOptions"/>).</summary>
    public BrokerTlsOptions Tls { get; set; } = new();

    /// <summary>The embedded broker's one listening address; <see cref="Problems"/> has checked it parses.</summary>
    public IPAddress BindIPAddress() => IPAddress.Parse(BindAddress);

    public IEnumerable<string> Problems()
    {
        if (Port is < 1 or > 65535)
        {
            yield return $"Broker:Port {Port} must be 1–65535";
        }
        if (!TopicScheme.IsValidPrefix(TopicPrefix, out var problem))
        {
            yield return $"Broker:TopicPrefix: {problem}";
        }
        if (Mode == BrokerMode.Embedded && !IPAddress.TryParse(BindAddress, out _))
        {
            yield return $"Broker:BindAddress '{BindAddress}' is not an IP address";
        }
        if (Mode == BrokerMode.External && string.IsNullOrWhiteSpace(Host))
        {
            yield return "Broker:Host is required with Broker:Mode External";
        }
        if (Mode == BrokerMode.External && (string.IsNullOrWhiteSpace(ClientId) || ClientId.Length > 64))
        {
            yield return $"Broker:ClientId '{ClientId}' must be 1–64 characters";
        }
        if (SharedGroup is not null && !Ids.IsValid(SharedGroup))
        {
            yield return $"Broker:SharedGroup '{SharedGroup}' must match [a-z0-9][a-z0-9_-]{{0,62}}";
        }
        if (ConnectTimeout < TimeSpan.FromMilliseconds(100) || ConnectTimeout > TimeSpan.FromMinutes(5))
        {
            yield return $"Broker:ConnectTimeout {ConnectTimeout} must be between 100 ms and 5 minutes";
        }
        if (SessionExpiry < TimeSpan.Zero || SessionExpiry.TotalSeconds > uint.MaxValue)
        {
            yield return $"Broker:SessionExpiry {SessionExpiry} is out of range";
        }
        foreach (var tlsProblem in Tls.Problems(this))
        {
            yield return tlsProblem;
        }
    }
}

/// <summary>What /healthz asks of whichever broker is in use.</summary>
public interface IBrokerStatus
{
    BrokerMode Mode { get; }

    bool IsReady { get; }

    string Describe();

    /// <summary>Publishes the hub's own message (acks) at QoS 1; throws when the broker cannot take it now.</summary>
    Task PublishAsync(string topic, byte[] payload, CancellationToken ct);
}
