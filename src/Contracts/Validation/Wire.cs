using System.Text.Json;
using System.Text.Json.Serialization;

namespace FacilityHub.Contracts.Validation;

// What arrives on the wire before validation: every element nullable, so that a missing field is
// told apart from a wrong one. Strings stay strings here; the decoder maps them to enums itself so
// it can name the field and the allowed values when one is wrong. Settable properties, not init-only ones:
// System.Text.Json binds init-only properties through its slower constructor path.

/// <summary>
/// The raw <c>ts</c>: its JSON kind and, for a string, the text, so the decoder can say what is wrong with it.
/// A <see cref="JsonElement"/> would do the same at the cost of a JsonDocument per message.
/// </summary>
[JsonConverter(typeof(WireTimestampConverter))]
internal readonly record struct WireTimestamp(JsonValueKind Kind, string? Text);

internal sealed class WireTimestampConverter : JsonConverter<WireTimestamp>
{
    public override bool HandleNull => true;

    public override WireTimestamp Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                return new(JsonValueKind.String, reader.GetString());
            case JsonTokenType.Number:
                return new(JsonValueKind.Number, null);
            case JsonTokenType.True:
                return new(JsonValueKind.True, null);
            case JsonTokenType.False:
                return new(JsonValueKind.False, null);
            case JsonTokenType.StartObject:
                reader.Skip();
                return new(JsonValueKind.Object, null);
            case JsonTokenType.StartArray:
                reader.Skip();
                return new(JsonValueKind.Array, null);
            default:
                return new(JsonValueKind.Null, null);
        }
    }

    public override void Write(Utf8JsonWriter writer, WireTimestamp value, JsonSerializerOptions options) =>
        throw new NotSupportedException("wire types are only read");
}

internal sealed class ApSampleWire
{
    public WireTimestamp Ts { get; set; }
    public string? Agent { get; set; }
    public long? Seq { get; set; }
    public string? Status { get; set; }
    public int? Clients2g { get; set; }
    public int? Clients5g { get; set; }
    public double? ChannelUtil2gPct { get; set; }
    public double? ChannelUtil5gPct { get; set; }
    public long? RxBps { get; set; }
    public long? TxBps { get; set; }
    public double? NoiseDbm { get; set; }
    public long? UptimeS { get; set; }
    public double? CpuPct { get; set; }
    public double? MemPct { get; set; }
}

internal sealed class ShelterReportWire
{
    public WireTimestamp Ts { get; set; }
    public string? Agent { get; set; }
    public long? Seq { get; set; }
    public bool? Open { get; set; }
    public int? Occupancy { get; set; }
    public int? Capacity { get; set; }
    public bool? Accepting { get; set; }
    public string? Source { get; set; }
}

internal sealed class WeatherObservationWire
{
    public WireTimestamp Ts { get; set; }
    public string? Agent { get; set; }
    public long? Seq { get; set; }
    public double? TemperatureC { get; set; }
    public double? HumidityPct { get; set; }
    public double? PressureHpa { get; set; }
    public double? WindSpeedMs { get; set; }
    public double? WindDirDeg { get; set; }
    public double? GustMs { get; set; }
    public double? Rain10mMm { get; set; }
    public double? Rain1hMm { get; set; }
    public double? Rain24hMm { get; set; }
}

internal sealed class AgentStatusWire
{
    public WireTimestamp Ts { get; set; }
    public string? State { get; set; }
    public string? Version { get; set; }
    public long? Queued { get; set; }
    public long? OldestUnackedS { get; set; }
    public long? Evicted { get; set; }
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
