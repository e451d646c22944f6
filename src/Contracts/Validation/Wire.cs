using System.Text.Json;
using System.Text.Json.Serialization;

namespace FacilityHub.Contracts.Validation;

// What arrives on the wire before validation: every element nullable, so that a missing field is
// told apart from a wrong one. Strings stay strings here; the decoder maps them to enums itself so
// it can name the field and the allowed values when one is wrong.

internal sealed class ApSampleWire
{
    public JsonElement Ts { get; init; }
    public string? Agent { get; init; }
    public long? Seq { get; init; }
    public string? Status { get; init; }
    public int? Clients2g { get; init; }
    public int? Clients5g { get; init; }
    public double? ChannelUtil2gPct { get; init; }
    public double? ChannelUtil5gPct { get; init; }
    public long? RxBps { get; init; }
    public long? TxBps { get; init; }
    public double? NoiseDbm { get; init; }
    public long? UptimeS { get; init; }
    public double? CpuPct { get; init; }
    public double? MemPct { get; init; }
}

internal sealed class ShelterReportWire
{
    public JsonElement Ts { get; init; }
    public string? Agent { get; init; }
    public long? Seq { get; init; }
    public bool? Open { get; init; }
    public int? Occupancy { get; init; }
    public int? Capacity { get; init; }
    public bool? Accepting { get; init; }
    public string? Source { get; init; }
}

internal sealed class WeatherObservationWire
{
    public JsonElement Ts { get; init; }
    public string? Agent { get; init; }
    public long? Seq { get; init; }
    public double? TemperatureC { get; init; }
    public double? HumidityPct { get; init; }
    public double? PressureHpa { get; init; }
    public double? WindSpeedMs { get; init; }
    public double? WindDirDeg { get; init; }
    public double? GustMs { get; init; }
    public double? Rain10mMm { get; init; }
    public double? Rain1hMm { get; init; }
    public double? Rain24hMm { get; init; }
}

internal sealed class AgentStatusWire
{
    public JsonElement Ts { get; init; }
    public string? State { get; init; }
    public string? Version { get; init; }
    public long? Queued { get; init; }
    public long? OldestUnackedS { get; init; }
    public long? Evicted { get; init; }
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    NumberHandling = JsonNumberHandling.Strict,
    AllowDuplicateProperties = false,
    MaxDepth = MessageDecoder.MaxDepth)]
[JsonSerializable(typeof(ApSampleWire))]
[JsonSerializable(typeof(ShelterReportWire))]
[JsonSerializable(typeof(WeatherObservationWire))]
[JsonSerializable(typeof(AgentStatusWire))]
internal sealed partial class WireJsonContext : JsonSerializerContext;
