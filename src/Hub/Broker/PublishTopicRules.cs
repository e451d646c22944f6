namespace FacilityHub.Hub.Broker;

/// <summary>What MQTT itself forbids in the topic name of a PUBLISH, as opposed to what the hub's scheme refuses.</summary>
public static class PublishTopicRules
{
    /// <summary>
    /// Empty (MQTT 3.1.1 §4.7.3), holding a wildcard (§3.3.2.1: a topic name, unlike a filter, has none) or
    /// U+0000 (§1.5.3). The spec has the server close the connection; the embedded broker does, like Mosquitto,
    /// after the hub has dead-lettered the message as <c>bad_topic</c> so that an operator sees what the device
    /// sent. Invalid UTF-8 in a topic is a violation too, but MQTTnet decodes it to U+FFFD before the hub sees
    /// it, and a literal U+FFFD is valid: those are dead-lettered and the connection is kept.
    /// </summary>
    public static bool IsForbidden(string topic) => topic.Length == 0 || topic.AsSpan().IndexOfAny('+', '#', '\0') >= 0;
}
