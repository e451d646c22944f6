using FacilityHub.Contracts.Validation;
using FacilityHub.Hub.Configuration;

namespace FacilityHub.Hub.Ingest;

public sealed class IngestOptions : IValidatedOptions
{
    public const string Section = "Ingest";

    public int MaxPayloadBytes { get; set; } = 16 * 1024;

    /// <summary>Oldest <c>ts</c> accepted: a shelter's backlog after days offline must still land.</summary>
    public TimeSpan MaxAge { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How far a <c>ts</c> may be ahead of the hub's clock (edge clock skew).</summary>
    public TimeSpan MaxAhead { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Embedded broker: messages a second one client id may publish, sustained; beyond it the client's
    /// acknowledgements are held back (see Broker/ClientRateLimiter.cs). 0 turns the limit off. The sample
    /// city's simulator sends ~160 messages every 10 s; 200 lets an agent drain an outage backlog at over ten
    /// times its live rate, and holds a flooding one far below what the hub can take (docs/benchmarks.md).
    /// </summary>
    public double MaxMessagesPerClientPerSecond { get; set; } = 200;

    /// <summary>Messages a client may send at once above the rate: a whole-city snapshot (~160) passes without delay.</summary>
    public int ClientBurstMessages { get; set; } = 1000;

    public DecodeLimits ToLimits() => new() { MaxPayloadBytes = MaxPayloadBytes, MaxAge = MaxAge, MaxAhead = MaxAhead };

    public IEnumerable<string> Problems()
    {
        if (MaxPayloadBytes is < 256 or > 1024 * 1024)
        {
            yield return $"Ingest:MaxPayloadBytes {MaxPayloadBytes} must be 256–1048576";
        }
        if (MaxAge <= TimeSpan.Zero)
        {
            yield return $"Ingest:MaxAge {MaxAge} must be above zero";
        }
        if (MaxAhead < TimeSpan.Zero || MaxAhead > TimeSpan.FromDays(1))
        {
            yield return $"Ingest:MaxAhead {MaxAhead} must be between zero and one day";
        }
        if (!double.IsFinite(MaxMessagesPerClientPerSecond) || MaxMessagesPerClientPerSecond is < 0 or > 1_000_000)
        {
            yield return $"Ingest:MaxMessagesPerClientPerSecond {MaxMessagesPerClientPerSecond} must be 0 (no limit) to 1000000";
        }
        if (ClientBurstMessages is < 1 or > 1_000_000)
        {
            yield return $"Ingest:ClientBurstMessages {ClientBurstMessages} must be 1–1000000";
        }
    }
}
