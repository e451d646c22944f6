namespace FacilityHub.Edge.Publishing;

internal sealed partial class MqttConnection
{
    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Connected to MQTT broker {Host}:{Port} as {ClientId}; status online; subscribed to {AckTopic}")]
        public static partial void Connected(ILogger logger, string host, int port, string clientId, string ackTopic);

        [LoggerMessage(2, LogLevel.Warning, "Cannot connect to MQTT broker {Host}:{Port}: {Reason}; retrying in {RetryIn}")]
        public static partial void ConnectFailed(ILogger logger, string host, int port, string reason, TimeSpan retryIn);

        [LoggerMessage(3, LogLevel.Warning, "Lost the connection to MQTT broker {Host}:{Port}; reconnecting")]
        public static partial void ConnectionLost(ILogger logger, string host, int port);

        [LoggerMessage(4, LogLevel.Information, "Published status offline and disconnected from {Host}:{Port}")]
        public static partial void Stopped(ILogger logger, string host, int port);

        [LoggerMessage(5, LogLevel.Warning, "Could not publish status offline on the way out ({Reason}); the broker will send the Last Will")]
        public static partial void StopFailed(ILogger logger, string reason);

        [LoggerMessage(6, LogLevel.Warning, "Could not publish the agent status ({Reason}); retrying after the reconnect")]
        public static partial void StatusFailed(ILogger logger, string reason);
    }
}
