namespace FacilityHub.Contracts.Topics;

/// <summary>
/// How FacilityHub's MQTT connections (the hub behind an external broker, the embedded broker, edge agents, the bench's
/// agents) use their sockets: <see cref="BufferBytes"/>, and one write per packet (MQTTnet's
/// <c>WithoutPacketFragmentation</c>). MQTTnet otherwise writes a PUBLISH's header and payload separately: two system
/// calls and, with Nagle off, two TCP segments for the receiver to wake for. With one write, the bench's four agents
/// reached 39,681 and 39,916 msg/s at the 40,000 step instead of 35,084, and the hub took 0.64–0.67 core at 10,000
/// msg/s instead of 0.75 (docs/benchmarks.md, 2026-11-24).
/// </summary>
public static class MqttSocket
{
    /// <summary>
    /// The socket's receive and send buffers; the kernel caps them at net.core.rmem_max and wmem_max. MQTTnet's client
    /// pins both to 8 KiB unless told otherwise, which also turns off the kernel's tuning of them. On the hub's one
    /// connection to Mosquitto that let a backlog collapse delivery to about 100 messages a second, and on the bench's
    /// agents it capped four connections at about 25,700 msg/s (docs/benchmarks.md, 2026-11-24). 1 MiB is 80 ms of
    /// 40,000 msg/s; the kernel only uses what is queued.
    /// </summary>
    public const int BufferBytes = 1024 * 1024;
}
