using FacilityHub.Contracts.Sites;
using FacilityHub.Contracts.Topics;
using FacilityHub.Contracts.Validation;
using FacilityHub.Hub.Ingest;
using Microsoft.Extensions.Options;
using MQTTnet.Protocol;
using MQTTnet.Server;

namespace FacilityHub.Hub.Broker;

/// <summary>The embedded broker's answer to a CONNECT: success, or the reason code and why (for the log only).</summary>
public readonly record struct ConnectDecision(MqttConnectReasonCode Code, string? Refusal = null, string? AssignedClientId = null)
{
    public bool Accepted => Code == MqttConnectReasonCode.Success;
}

/// <summary>
/// Identity and authorisation on the embedded broker. An agent connects with its id as username and client
/// id and its secret as password (checked against <c>BrokerAuth:Agents:{id}:SecretHash</c>); it may then
/// publish only its own status and the topics of the sites the registry assigns to it, and subscribe only
/// to its own ack topic. A refused publish is dead-lettered as <c>not_authorized</c> and answered with a
/// PUBACK carrying NotAuthorized (MQTT 5), never ingested or forwarded. With <c>BrokerAuth:AllowAnonymous</c>
/// (development) clients without a username are let in and are not restricted at all.
/// </summary>
public sealed partial class AgentAuthorization
{
    private static readonly TimeSpan LogEvery = TimeSpan.FromSeconds(10);

    private readonly BrokerAuthOptions _auth;
    private readonly SiteRegistry _registry;
    private readonly TopicScheme _topics;
    private readonly Ingestor _ingestor;
    private readonly ILogger<AgentAuthorization> _logger;
    private readonly Dictionary<string, (SecretHash? Hash, bool Revoked)> _credentials;
    private readonly LogRateLimiter _connectLog;
    private readonly LogRateLimiter _subscribeLog;

    public AgentAuthorization(
        IOptions<BrokerAuthOptions> auth,
        IOptions<BrokerOptions> broker,
        SiteRegistry registry,
        Ingestor ingestor,
        TimeProvider time,
        ILogger<AgentAuthorization> logger)
    {
        _auth = auth.Value;
        _registry = registry;
        _topics = new TopicScheme(broker.Value.TopicPrefix);
        _ingestor = ingestor;
        _logger = logger;
        _connectLog = new LogRateLimiter(time, LogEvery);
        _subscribeLog = new LogRateLimiter(time, LogEvery);
        // Parsed once: the options were validated at start, so every hash that is present parses.
        _credentials = _auth.Agents.ToDictionary(
            kv => kv.Key,
            kv => (SecretHash.TryParse(kv.Value.SecretHash, out var hash, out _) ? hash : null, kv.Value.Revoked),
            StringComparer.Ordinal);
    }

    /// <summary>Says at start how the broker treats clients; the development flag as a warning.</summary>
    public void LogPolicy()
    {
        var revoked = _credentials.Values.Count(c => c.Revoked);
        if (_auth.AllowAnonymous)
        {
            LogAnonymousAllowed(_logger, _credentials.Count - revoked);
        }
        else
        {
            LogAgentsOnly(_logger, _credentials.Count - revoked, revoked);
        }
    }

    public ConnectDecision Authenticate(string? clientId, string? userName, ReadOnlySpan<byte> password)
    {
        if (string.IsNullOrEmpty(userName))
        {
            if (!_auth.AllowAnonymous)
            {
                return new(MqttConnectReasonCode.NotAuthorized, "anonymous clients are refused (BrokerAuth:AllowAnonymous is off)");
            }
            if (string.IsNullOrEmpty(clientId))
            {
                // MQTT lets a clean-session client connect without an id and have the server assign one;
                // simple devices (and mosquitto_pub) rely on that.
                return new(MqttConnectReasonCode.Success, AssignedClientId: "anon-" + Guid.NewGuid().ToString("N"));
            }
            // Taking an agent's client id would take over (and end) that agent's session.
            return _credentials.ContainsKey(clientId)
                ? new(MqttConnectReasonCode.ClientIdentifierNotValid, "an anonymous client may not use an agent's client id")
                : new(MqttConnectReasonCode.Success);
        }

        if (!_credentials.TryGetValue(userName, out var credential))
        {
            return new(MqttConnectReasonCode.BadUserNameOrPassword, "unknown agent");
        }
        if (credential.Hash is null || !credential.Hash.Verify(password))
        {
            return credential.Revoked
                ? new(MqttConnectReasonCode.NotAuthorized, "agent is revoked")
                : new(MqttConnectReasonCode.BadUserNameOrPassword, "wrong secret");
        }
        if (credential.Revoked)
        {
            return new(MqttConnectReasonCode.NotAuthorized, "agent is revoked");
        }
        if (KnownClientId(clientId, userName) is null)
        {
            return new(MqttConnectReasonCode.ClientIdentifierNotValid, "client id must be the agent id");
        }
        return string.IsNullOrEmpty(clientId) ? new(MqttConnectReasonCode.Success, AssignedClientId: userName) : new(MqttConnectReasonCode.Success);
    }

    /// <summary>
    /// The client id a connection is known by once accepted, when the CONNECT alone tells it: an agent's is its user
    /// name (one session per agent, named by the identity that was checked, so no agent can take over another's;
    /// assigned when it sends none), an anonymous client's is its own. Null when the broker would assign a random one
    /// or refuse the id.
    /// </summary>
    public static string? KnownClientId(string? clientId, string? userName) =>
        string.IsNullOrEmpty(userName)
            ? (string.IsNullOrEmpty(clientId) ? null : clientId)
            : (string.IsNullOrEmpty(clientId) || string.Equals(clientId, userName, StringComparison.Ordinal) ? userName : null);

    /// <summary>An authenticated agent: its own status and its sites' topics. Anonymous (development): anything.</summary>
    public bool MayPublish(string? userName, string topic) =>
        string.IsNullOrEmpty(userName)
        || (_topics.TryParse(topic, out var address, out _) && _registry.MayPublish(userName, address));

    /// <summary>An authenticated agent: its own ack topic, exactly (no wildcards, no shared subscription).</summary>
    public bool MaySubscribe(string? userName, string topicFilter) =>
        string.IsNullOrEmpty(userName) || string.Equals(topicFilter, _topics.Ack(userName), StringComparison.Ordinal);

    public Task ValidateConnectionAsync(ValidatingConnectionEventArgs e)
    {
        var decision = Authenticate(e.ClientId, e.UserName, e.RawPassword);
        if (decision.AssignedClientId is { } assigned)
        {
            e.AssignedClientIdentifier = assigned;
        }
        if (!decision.Accepted)
        {
            e.ReasonCode = decision.Code;
            if (_connectLog.TryEnter(out var suppressed))
            {
                LogConnectRefused(_logger, e.RemoteEndPoint, decision.Refusal, Clip(e.UserName), Clip(e.ClientId), decision.Code, suppressed);
            }
        }
        return Task.CompletedTask;
    }

    /// <summary>
    /// True when ingest may go on. Otherwise the message is dead-lettered (counted and logged there,
    /// rate-limited), not forwarded, and the PUBACK says NotAuthorized.
    /// </summary>
    public async ValueTask<bool> AuthorizePublishAsync(InterceptingPublishEventArgs e)
    {
        var message = e.ApplicationMessage;
        if (MayPublish(e.UserName, message.Topic))
        {
            return true;
        }
        e.ProcessPublish = false;
        e.Response.ReasonCode = MqttPubAckReasonCode.NotAuthorized;
        var rejection = new Rejection(RejectReason.NotAuthorized, $"agent '{Clip(e.UserName)}' may not publish on this topic");
        await _ingestor.RejectAsync(message.Topic, message.Payload, rejection, string.IsNullOrEmpty(e.UserName) ? null : e.UserName, e.CancellationToken);
        return false;
    }

    public Task InterceptSubscriptionAsync(InterceptingSubscriptionEventArgs e)
    {
        var filter = e.TopicFilter.Topic;
        if (MaySubscribe(e.UserName, filter))
        {
            return Task.CompletedTask;
        }
        e.ProcessSubscription = false;
        e.Response.ReasonCode = MqttSubscribeReasonCode.NotAuthorized;
        if (_subscribeLog.TryEnter(out var suppressed))
        {
            LogSubscribeRefused(_logger, Clip(e.UserName), Clip(filter), _topics.Ack(Clip(e.UserName)), suppressed);
        }
        return Task.CompletedTask;
    }

    // Usernames and topics come from outside; a 64 KiB one must not become a 64 KiB log line.
    private static string Clip(string? s) => s is null ? "" : s.Length <= 80 ? s : s[..80] + "…";
}
