namespace FacilityHub.Edge.Publishing;

/// <summary>What a message reports; the outbox evicts AP samples and weather observations before shelter reports.</summary>
internal enum MessageKind : byte
{
    Ap = 1,
    Weather = 2,
    Shelter = 3,
}

/// <summary>A serialized message, ready for the broker; <see cref="Seq"/> is also inside the payload.</summary>
internal sealed record OutgoingMessage(string Topic, byte[] Payload, long Seq, MessageKind Kind);
