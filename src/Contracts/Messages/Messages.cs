using System.Text.Json.Serialization;

namespace FacilityHub.Contracts.Messages;

// The four payloads of PROTOCOL.md, as the hub holds them after validation. Absent optional elements
// stay null all the way to InfluxDB, where they become absent fields, never zeros.

[JsonConverter(typeof(JsonStringEnumConverter<ApStatus>))]
public enum ApStatus
{
    [JsonStringEnumMemberName("up")] Up,
    [JsonStringEnumMemberName("down")] Down,
}

[JsonConverter(typeof(JsonStringEnumConverter<ShelterSource>))]
public enum ShelterSource
{
    [JsonStringEnumMemberName("tablet")] Tablet,
    [JsonStringEnumMemberName("counter")] Counter,
    [JsonStringEnumMemberName("manual")] Manual,
    [JsonStringEnumMemberName("sim")] Sim,
}

[JsonConverter(typeof(JsonStringEnumConverter<AgentPresence>))]
public enum AgentPresence
{
    [JsonStringEnumMemberName("online")] Online,
    [JsonStringEnumMemberName("offline")] Offline,
}

/// <summary>Wi-Fi access point sample. When <see cref="Status"/> is down only <see cref="Ts"/> is guaranteed.</summary>
public sealed record ApSample(
    [property: JsonConverter(typeof(TimestampJsonConverter))] DateTimeOffset Ts,
    ApStatus Status,
    string? Agent = null,
    long? Seq = null,
    int? Clients2g = null,
    int? Clients5g = null,
    double? ChannelUtil2gPct = null,
    double? ChannelUtil5gPct = null,
    long? RxBps = null,
    long? TxBps = null,
    double? NoiseDbm = null,
    long? UptimeS = null,
    double? CpuPct = null,
    double? MemPct = null);

/// <summary>Shelter headcount. <see cref="Capacity"/> null means the registry's 想定収容人数 applies.</summary>
public sealed record ShelterReport(
    [property: JsonConverter(typeof(TimestampJsonConverter))] DateTimeOffset Ts,
    bool Open,
    int Occupancy,
    bool Accepting,
    ShelterSource Source,
    int? Capacity = null,
    string? Agent = null,
    long? Seq = null);

/// <summary>Weather observation; every element may be missing (a broken sensor).</summary>
public sealed record WeatherObservation(
    [property: JsonConverter(typeof(TimestampJsonConverter))] DateTimeOffset Ts,
    string? Agent = null,
    long? Seq = null,
    double? TemperatureC = null,
    double? HumidityPct = null,
    double? PressureHpa = null,
    double? WindSpeedMs = null,
    double? WindDirDeg = null,
    double? GustMs = null,
    double? Rain10mMm = null,
    double? Rain1hMm = null,
    double? Rain24hMm = null);

/// <summary>
/// Retained agent status; the agent's MQTT Last Will is the same topic with state offline.
/// <see cref="Queued"/> is the agent's outbox depth, <see cref="OldestUnackedS"/> the age in seconds of
/// its oldest message the hub has not yet acknowledged, <see cref="Evicted"/> how many messages its
/// full outbox has had to drop; all optional, for agents without an outbox.
/// </summary>
public sealed record AgentStatus(
    [property: JsonConverter(typeof(TimestampJsonConverter))] DateTimeOffset Ts,
    AgentPresence State,
    string? Version = null,
    long? Queued = null,
    long? OldestUnackedS = null,
    long? Evicted = null);
