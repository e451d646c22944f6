using System.Text;
using FacilityHub.Edge.Publishing;

namespace FacilityHub.Edge.Tests.Support;

/// <summary>
/// Outgoing messages for outbox tests: the payload says its seq, and topic plus payload take
/// <c>bytes</c> whatever the kind, so that every message counts the same against the outbox's bound.
/// </summary>
internal static class Messages
{
    public static OutgoingMessage Ap(long seq, int bytes = 240) => Make(seq, MessageKind.Ap, "fh/v1/ap/civic-center/civic-1f-01", bytes);

    public static OutgoingMessage Weather(long seq, int bytes = 240) => Make(seq, MessageKind.Weather, "fh/v1/weather/wx-juo", bytes);

    public static OutgoingMessage Shelter(long seq, int bytes = 240) => Make(seq, MessageKind.Shelter, "fh/v1/shelter/shl-miyata-es", bytes);

    public static List<OutgoingMessage> Aps(long firstSeq, int count, int bytes = 240) =>
        Enumerable.Range(0, count).Select(i => Ap(firstSeq + i, bytes)).ToList();

    private static OutgoingMessage Make(long seq, MessageKind kind, string topic, int bytes)
    {
        var head = "{\"seq\":" + seq.ToString(System.Globalization.CultureInfo.InvariantCulture) + ",\"pad\":\"";
        var payload = Encoding.UTF8.GetBytes(head + new string('x', Math.Max(0, bytes - topic.Length - head.Length - 2)) + "\"}");
        return new OutgoingMessage(topic, payload, seq, kind);
    }
}
