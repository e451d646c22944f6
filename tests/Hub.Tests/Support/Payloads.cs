using FacilityHub.Contracts.Messages;

namespace FacilityHub.Hub.Tests.Support;

/// <summary>PROTOCOL.md's example payloads with a chosen timestamp and sequence number.</summary>
internal static class Payloads
{
    public static string Ts(DateTimeOffset ts) => TimestampJsonConverter.ToWire(ts);

    /// <summary>A timestamp on a whole millisecond, as the wire carries it.</summary>
    public static DateTimeOffset NowMs(int offsetMs = 0) =>
        DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + offsetMs).ToOffset(TimeSpan.FromHours(9));

    public static string Ap(DateTimeOffset ts, long seq, int clients5g = 31) => $$"""
        {"ts":"{{Ts(ts)}}","agent":"test-agent","seq":{{seq}},"status":"up","clients2g":12,"clients5g":{{clients5g}},"channelUtil2gPct":42.5,"channelUtil5gPct":18.0,"rxBps":1234567,"txBps":2345678,"noiseDbm":-92,"uptimeS":86400,"cpuPct":12.0,"memPct":40.5}
        """;

    public static string Shelter(DateTimeOffset ts, long seq, int occupancy = 123) => $$"""
        {"ts":"{{Ts(ts)}}","agent":"test-agent","seq":{{seq}},"open":true,"occupancy":{{occupancy}},"accepting":true,"source":"tablet"}
        """;

    /// <summary>A station with a broken hygrometer and no rain gauge: those fields must be absent in InfluxDB.</summary>
    public static string Weather(DateTimeOffset ts, long seq) => $$"""
        {"ts":"{{Ts(ts)}}","agent":"test-agent","seq":{{seq}},"temperatureC":12.4,"pressureHpa":1012.3,"windSpeedMs":3.2,"windDirDeg":225,"gustMs":6.1}
        """;

    public static string Status(DateTimeOffset ts, string state = "online", int queued = 0) => $$"""
        {"ts":"{{Ts(ts)}}","state":"{{state}}","version":"1.0.0","queued":{{queued}}}
        """;
}
