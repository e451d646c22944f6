using System.Text.Json;
using FacilityHub.Contracts;

namespace FacilityHub.Edge.Outbox;

/// <summary>
/// The hub's end-to-end acknowledgement on <c>fh/v1/ack/{agentId}</c> (PROTOCOL.md):
/// <c>{"ts":"…","ranges":[[100,150],[152,152]]}</c>, each range the first and last <c>seq</c> stored.
/// Anything else is refused whole: applying half of a malformed ack could remove messages the hub
/// never stored, while ignoring a good one only costs a re-send.
/// </summary>
internal static class AckParser
{
    public const int MaxPayloadBytes = 256 * 1024;

    public const int MaxRanges = 10_000;

    public static bool TryParse(ReadOnlySpan<byte> payload, out IReadOnlyList<SeqRange> ranges, out string problem)
    {
        ranges = [];
        if (payload.Length > MaxPayloadBytes)
        {
            problem = $"payload is {payload.Length} bytes, limit {MaxPayloadBytes}";
            return false;
        }
        Contracts.Messages.AckMessage? wire;
        try
        {
            wire = JsonSerializer.Deserialize(payload, ContractsJsonContext.Default.AckMessage);
        }
        catch (JsonException e)
        {
            problem = $"not an ack object: {e.Message}";
            return false;
        }
        if (wire?.Ranges is not { } raw)
        {
            problem = "ranges is missing";
            return false;
        }
        if (raw.Count > MaxRanges)
        {
            problem = $"{raw.Count} ranges, limit {MaxRanges}";
            return false;
        }
        var parsed = new List<SeqRange>(raw.Count);
        foreach (var pair in raw)
        {
            if (pair is not [var from, var to] || from < 0 || to < from)
            {
                problem = $"range [{string.Join(",", pair ?? [])}] is not [first, last] with 0 ≤ first ≤ last";
                return false;
            }
            parsed.Add(new SeqRange(from, to));
        }
        ranges = parsed;
        problem = "";
        return true;
    }

}
