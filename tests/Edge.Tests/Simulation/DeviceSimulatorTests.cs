using System.Text.Json;
using FacilityHub.Contracts.Validation;
using FacilityHub.Edge.Simulation;
using FacilityHub.Edge.Tests.Support;

namespace FacilityHub.Edge.Tests.Simulation;

public sealed class DeviceSimulatorTests
{
    [Theory]
    [InlineData("evacuation")]
    [InlineData("normal")]
    public void Create_EveryDeviceOverADayAndAHalf_PassesTheHubsDecoder(string scenario)
    {
        var start = Sample.Monday.AddHours(6);
        var simulator = Sample.Simulator(Enum.Parse<Scenario>(scenario, ignoreCase: true), start);
        var devices = Sample.AllDevices();
        var seq = 1L;
        var checkedCount = 0;
        foreach (var at in Sample.Every(start.AddHours(-2), TimeSpan.FromHours(36), TimeSpan.FromMinutes(10)))
        {
            foreach (var device in devices)
            {
                var message = simulator.Create(device, at, seq++);
                var result = Sample.Decoder.Decode(message.Topic, message.Payload, at);
                Assert.True(
                    result.Reading is not null,
                    $"{message.Topic} at {at:O}: {result.Rejection} in {System.Text.Encoding.UTF8.GetString(message.Payload)}");
                checkedCount++;
            }
        }
        Assert.True(checkedCount > 30_000);
    }

    [Fact]
    public void Create_AnyDevice_CarriesAgentSeqAndAMillisecondTimestampInHitachiTime()
    {
        var simulator = Sample.Simulator(Scenario.Evacuation, Sample.Monday);
        var at = Sample.Monday.AddHours(10).AddTicks(1234567);
        foreach (var device in Sample.AllDevices())
        {
            var message = simulator.Create(device, at, 42);
            var reading = Sample.Decoder.Decode(message.Topic, message.Payload, at).Reading!;
            Assert.Equal("edge-test", reading.Agent);
            Assert.Equal(42, reading.Seq);
            Assert.Equal(TimeSpan.FromHours(9), reading.Ts.Offset);
            Assert.Equal(0, reading.Ts.Ticks % TimeSpan.TicksPerMillisecond);
        }
    }

    [Fact]
    public void Create_SameDeviceTimeAndSeed_GivesTheSameBytes()
    {
        var at = Sample.Monday.AddHours(15.5);
        var a = Sample.Simulator(Scenario.Evacuation, Sample.Monday.AddHours(8));
        var b = Sample.Simulator(Scenario.Evacuation, Sample.Monday.AddHours(8));
        var other = Sample.Simulator(Scenario.Evacuation, Sample.Monday.AddHours(8), seed: 2);
        var devices = Sample.AllDevices();

        Assert.All(devices, d => Assert.Equal(a.Create(d, at, 7).Payload, b.Create(d, at, 7).Payload));
        Assert.Contains(devices, d => !a.Create(d, at, 7).Payload.SequenceEqual(other.Create(d, at, 7).Payload));
    }

    [Fact]
    public void Create_DevicesInScheduleOrder_SeqStrictlyIncreasesAcrossAllDevices()
    {
        var clock = new ManualClock(Sample.Monday.AddHours(9));
        var sequence = new FacilityHub.Edge.Publishing.SequenceCounter(clock);
        var simulator = Sample.Simulator(Scenario.Evacuation, Sample.Monday);
        var devices = Sample.AllDevices();
        var schedule = new PublishSchedule(devices, TimeSpan.FromSeconds(10), 1, clock.GetUtcNow());
        var due = new List<SimulatedDevice>();
        var seqs = new List<long>();

        while (clock.GetUtcNow() < Sample.Monday.AddHours(9).AddMinutes(2))
        {
            schedule.TakeDue(clock.GetUtcNow(), due);
            foreach (var device in due)
            {
                using var json = JsonDocument.Parse(simulator.Create(device, clock.GetUtcNow(), sequence.Next()).Payload);
                seqs.Add(json.RootElement.GetProperty("seq").GetInt64());
            }
            due.Clear();
            clock.Advance(schedule.NextDue!.Value - clock.GetUtcNow());
        }

        Assert.True(seqs.Count >= devices.Count * 12);
        Assert.True(seqs[0] > Sample.Monday.AddHours(9).ToUnixTimeMilliseconds());
        Assert.All(seqs.Zip(seqs.Skip(1)), pair => Assert.True(pair.Second > pair.First));
    }
}
