using System.Net;
using MQTTnet.Protocol;

namespace FacilityHub.Hub.Broker;

public sealed partial class AgentAuthorization
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "The embedded MQTT broker accepts anonymous clients and does not restrict what they publish or subscribe to (BrokerAuth:AllowAnonymous, for development only); {Agents} agents have credentials")]
    private static partial void LogAnonymousAllowed(ILogger logger, int agents);

    [LoggerMessage(Level = LogLevel.Information, Message = "The embedded MQTT broker admits {Agents} agents by their credentials ({Revoked} revoked) and refuses anonymous clients")]
    private static partial void LogAgentsOnly(ILogger logger, int agents, int revoked);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused MQTT connection from {Endpoint}: {Refusal} (username {Username}, client id {ClientId}, reason code {ReasonCode}); {Suppressed} more refusals not logged since the last one")]
    private static partial void LogConnectRefused(ILogger logger, EndPoint? endpoint, string? refusal, string username, string clientId, MqttConnectReasonCode reasonCode, long suppressed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused subscription of agent {AgentId} to {TopicFilter}: an agent may subscribe to {AckTopic} only; {Suppressed} more refusals not logged since the last one")]
    private static partial void LogSubscribeRefused(ILogger logger, string agentId, string topicFilter, string ackTopic, long suppressed);
}
