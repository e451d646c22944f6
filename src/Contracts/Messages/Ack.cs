using System.Text.Json.Serialization;

namespace FacilityHub.Contracts.Messages;

/// <summary>
/// The hub's end-to-end acknowledgement on <c>{prefix}/ack/{agentId}</c>: the <c>seq</c> values, as
/// inclusive ranges, of the agent's messages that are durably stored (PROTOCOL.md "End-to-end acknowledgement").
/// </summary>
public sealed record AckMessage(
    [property: JsonConverter(typeof(TimestampJsonConverter))] DateTimeOffset Ts,
    IReadOnlyList<long[]> Ranges)
{
    /// <summary>Sorted, distinct sequence numbers folded into inclusive ranges: 1,2,3,5 → [1,3],[5,5].</summary>
    public static IReadOnlyList<long[]> ToRanges(IEnumerable<long> seqs)
    {
        var ranges = new List<long[]>();
        foreach (var seq in seqs.Distinct().Order())
        {
            if (ranges.Count > 0 && ranges[^1][1] == seq - 1)
            {
                ranges[^1][1] = seq;
            }
            else
            {
                ranges.Add([seq, seq]);
            }
        }
        return ranges;
    }

    /// <summary>Every acknowledged sequence number.</summary>
    public IEnumerable<long> Seqs() => Ranges.Where(r => r.Length == 2 && r[0] <= r[1]).SelectMany(r => LongRange(r[0], r[1]));

    private static IEnumerable<long> LongRange(long from, long to)
    {
        for (var s = from; s <= to; s++)
        {
            yield return s;
        }
    }
}
