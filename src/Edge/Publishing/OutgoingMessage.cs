namespace FacilityHub.Edge.Publishing;

/// <summary>A serialized message, ready for the broker; <see cref="Seq"/> is also inside the payload.</summary>
internal sealed record OutgoingMessage(string Topic, byte[] Payload, long Seq);
