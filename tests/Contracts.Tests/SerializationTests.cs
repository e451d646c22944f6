using System.Text.Json;
using FacilityHub.Contracts.Messages;

namespace FacilityHub.Contracts.Tests;

public sealed class SerializationTests
{
    [Fact]
    public void Serialize_ShelterReport_MatchesProtocolShape()
    {
        var report = new ShelterReport(new DateTimeOffset(2026, 11, 23, 10, 15, 0, 123, TimeSpan.FromHours(9)), true, 123, true, ShelterSource.Tablet, Agent: "tablet-shl-07", Seq: 88);
        Assert.Equal(
            """{"ts":"2026-11-23T10:15:00.123+09:00","open":true,"occupancy":123,"accepting":true,"source":"tablet","agent":"tablet-shl-07","seq":88}""",
            JsonSerializer.Serialize(report, ContractsJsonContext.Default.ShelterReport));
    }

    [Fact]
    public void Serialize_ApSample_RoundTripsThroughTheConverter()
    {
        var sample = new ApSample(DateTimeOffset.FromUnixTimeMilliseconds(1_795_399_200_123), ApStatus.Down);
        var json = JsonSerializer.Serialize(sample, ContractsJsonContext.Default.ApSample);
        Assert.Equal("""{"ts":"2026-11-23T02:00:00.123+00:00","status":"down"}""", json);
        Assert.Equal(sample, JsonSerializer.Deserialize(json, ContractsJsonContext.Default.ApSample));
    }

    [Fact]
    public void Serialize_AgentStatusWithOutbox_MatchesProtocolShapeWithTheAddedFields()
    {
        var status = new AgentStatus(new DateTimeOffset(2026, 11, 23, 10, 15, 0, TimeSpan.FromHours(9)), AgentPresence.Online, "1.0.0", 12, 340, 0);
        Assert.Equal(
            """{"ts":"2026-11-23T10:15:00.000+09:00","state":"online","version":"1.0.0","queued":12,"oldestUnackedS":340,"evicted":0}""",
            JsonSerializer.Serialize(status, ContractsJsonContext.Default.AgentStatus));
    }
}
