using FacilityHub.Contracts.Messages;
using FacilityHub.Contracts.Sites;

namespace FacilityHub.Contracts.Validation;

/// <summary>A validated message, bound to the registry entries its topic names.</summary>
public abstract record Reading
{
    public abstract DateTimeOffset Ts { get; }

    public abstract string? Agent { get; }

    public abstract long? Seq { get; }
}

public sealed record ApReading(Site Site, AccessPoint AccessPoint, ApSample Sample) : Reading
{
    public override DateTimeOffset Ts => Sample.Ts;
    public override string? Agent => Sample.Agent;
    public override long? Seq => Sample.Seq;
}

public sealed record ShelterReading(Site Shelter, ShelterReport Report) : Reading
{
    public override DateTimeOffset Ts => Report.Ts;
    public override string? Agent => Report.Agent;
    public override long? Seq => Report.Seq;

    /// <summary>The capacity that applies: the report's own, else the registry's 想定収容人数.</summary>
    public int Capacity => Report.Capacity ?? Shelter.Capacity ?? 0;
}

public sealed record WeatherReading(Site Station, WeatherObservation Observation) : Reading
{
    public override DateTimeOffset Ts => Observation.Ts;
    public override string? Agent => Observation.Agent;
    public override long? Seq => Observation.Seq;
}

public sealed record AgentStatusReading(string AgentId, AgentStatus Status) : Reading
{
    public override DateTimeOffset Ts => Status.Ts;
    public override string? Agent => AgentId;
    public override long? Seq => null;
}

/// <summary>Either a <see cref="Reading"/> or a <see cref="Rejection"/>, never both.</summary>
public readonly record struct DecodeResult(Reading? Reading, Rejection? Rejection)
{
    public static implicit operator DecodeResult(Reading reading) => new(reading, null);

    public static implicit operator DecodeResult(Rejection rejection) => new(null, rejection);
}

/// <summary>Limits a message must respect besides its schema.</summary>
public sealed record DecodeLimits
{
    public int MaxPayloadBytes { get; init; } = 16 * 1024;

    /// <summary>Oldest accepted <c>ts</c>: replays after a long outage must still land.</summary>
    public TimeSpan MaxAge { get; init; } = TimeSpan.FromDays(30);

    /// <summary>How far ahead of the hub's clock a <c>ts</c> may be (edge clock skew).</summary>
    public TimeSpan MaxAhead { get; init; } = TimeSpan.FromMinutes(5);
}
