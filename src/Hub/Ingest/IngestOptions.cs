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
    }
}
