using FacilityHub.Edge.Simulation;
using FacilityHub.Edge.Tests.Support;

namespace FacilityHub.Edge.Tests.Simulation;

public sealed class PublishScheduleTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);
    private static readonly DateTimeOffset Start = Sample.Monday.AddHours(9).AddMilliseconds(123);

    [Fact]
    public void TakeDue_AtStart_ReturnsEveryDeviceAtOnce()
    {
        var devices = Sample.AllDevices();
        var schedule = new PublishSchedule(devices, Interval, 1, Start);
        var due = new List<SimulatedDevice>();

        schedule.TakeDue(Start, due);

        Assert.Equal(devices.Count, due.Count);
        Assert.True(schedule.NextDue >= Start + (Interval / 2));
    }

    [Fact]
    public void TakeDue_AfterTheFirstRound_EachDeviceOncePerIntervalSpreadAcrossIt()
    {
        var devices = Sample.AllDevices();
        var schedule = new PublishSchedule(devices, Interval, 1, Start);
        var due = new List<SimulatedDevice>();
        schedule.TakeDue(Start, due);
        due.Clear();

        var perDevice = devices.ToDictionary(d => d.Id, _ => 0);
        var perSecond = new int[10];
        var windowStart = Start + Interval * 2;
        var now = Start;
        while (schedule.NextDue is { } next && next < windowStart + Interval * 3)
        {
            now = next;
            schedule.TakeDue(now, due);
            if (now >= windowStart)
            {
                foreach (var device in due)
                {
                    perDevice[device.Id]++;
                    perSecond[(int)((now - windowStart).Ticks % Interval.Ticks / TimeSpan.TicksPerSecond)]++;
                }
            }
            due.Clear();
        }

        Assert.All(perDevice.Values, count => Assert.Equal(3, count));
        // 156 devices × 3 intervals spread over 10 one-second buckets: about 47 each, never a burst.
        Assert.All(perSecond, count => Assert.InRange(count, 20, 80));
    }

    [Fact]
    public void TakeDue_LoopFellBehindSeveralIntervals_EachDeviceOnceNotOncePerMissedSlot()
    {
        var devices = Sample.AllDevices();
        var schedule = new PublishSchedule(devices, Interval, 1, Start);
        var due = new List<SimulatedDevice>();
        schedule.TakeDue(Start, due);
        due.Clear();

        var late = Start + TimeSpan.FromMinutes(5);
        schedule.TakeDue(late, due);

        Assert.Equal(devices.Count, due.Count);
        Assert.True(schedule.NextDue > late);
    }
}
