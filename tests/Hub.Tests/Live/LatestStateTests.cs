using FacilityHub.Contracts.Crowding;
using FacilityHub.Contracts.Messages;
using FacilityHub.Contracts.Sites;
using FacilityHub.Contracts.Validation;
using FacilityHub.Hub.Live;
using Microsoft.Extensions.Options;

namespace FacilityHub.Hub.Tests.Live;

public sealed class LatestStateTests
{
    private static readonly Site Shelter = new("shl-a", SiteKind.Shelter, "A", "A", "north", 36.6, 140.6, Capacity: 100);
    private static readonly Site Civic = new("civic", SiteKind.CivicCenter, "C", "C", "north", 36.6, 140.6);
    private static readonly AccessPoint Ap = new("civic-1f-01", "civic");
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 10, 0, 0, TimeSpan.FromHours(9));

    private readonly LatestState _state = new(Options.Create(new CrowdingOptions()));

    private static ShelterReading Report(DateTimeOffset ts, int occupancy, bool accepting = true) =>
        new(Shelter, new ShelterReport(ts, true, occupancy, accepting, ShelterSource.Tablet));

    [Fact]
    public void Apply_ManyReadingsOfOneDevice_PushedOnceWithTheLatest()
    {
        for (var i = 0; i < 1000; i++)
        {
            _state.Apply(new ApReading(Civic, Ap, new ApSample(T0.AddSeconds(i), ApStatus.Up, Clients5g: i)), T0);
        }
        var changed = Assert.Single(_state.TakeChangedAps());
        Assert.Equal(999, changed.Sample.Clients5g);
        Assert.Empty(_state.TakeChangedAps());
    }

    [Fact]
    public async Task WaitForChange_BurstBeforeTheWait_WakesOnce_AndAgainOnlyAfterTheNextChange()
    {
        // The burst lands while nobody waits, so no wake-up can interleave with it: exactly one wait is owed.
        for (var i = 0; i < 100; i++)
        {
            _state.Apply(new ApReading(Civic, Ap, new ApSample(T0.AddSeconds(i), ApStatus.Up, Clients5g: i)), T0);
        }
        var first = _state.WaitForChangeAsync(TestContext.Current.CancellationToken);
        Assert.True(first.IsCompletedSuccessfully);
        Assert.Single(_state.TakeChangedAps());

        var second = _state.WaitForChangeAsync(TestContext.Current.CancellationToken);
        Assert.False(second.IsCompleted);
        _state.Apply(Report(T0, 10), T0);
        await second.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        Assert.Single(_state.TakeChangedShelters());
    }

    [Fact]
    public async Task WaitForChange_SleepingWaiter_WokenByOneChange_ThenSleepsAgain()
    {
        // One change, not a burst: a change landing after the waiter woke rightly owes another wake-up, and with
        // a burst the waiter's thread may wake between two of its readings.
        var first = _state.WaitForChangeAsync(TestContext.Current.CancellationToken);
        Assert.False(first.IsCompleted);
        _state.Apply(new ApReading(Civic, Ap, new ApSample(T0, ApStatus.Up, Clients5g: 1)), T0);
        await first.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        Assert.Single(_state.TakeChangedAps());

        var second = _state.WaitForChangeAsync(TestContext.Current.CancellationToken);
        Assert.False(second.IsCompleted);
        _state.Apply(Report(T0, 10), T0);
        await second.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        Assert.Single(_state.TakeChangedShelters());
    }

    [Fact]
    public async Task TakeChanged_WhileReadingsArrive_LastPushOfEveryDeviceIsItsLatestState()
    {
        // Four writers race a taker: whatever the interleaving, each device's last pushed state must be its final one.
        var aps = Enumerable.Range(0, 20).Select(i => new AccessPoint($"civic-1f-{i:00}", "civic")).ToArray();
        var lastPushed = new Dictionary<string, int?>();
        using var stop = new CancellationTokenSource();
        var taker = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                foreach (var s in _state.TakeChangedAps())
                {
                    lastPushed[s.ApId] = s.Sample.Clients5g;
                }
            }
        }, TestContext.Current.CancellationToken);
        var writers = Enumerable.Range(0, 4).Select(w => Task.Run(() =>
        {
            for (var i = 0; i < 20_000; i++)
            {
                var ap = aps[(i + w) % aps.Length];
                _state.Apply(new ApReading(Civic, ap, new ApSample(T0.AddMilliseconds(i * 4 + w), ApStatus.Up, Clients5g: i * 4 + w)), T0);
            }
        }, TestContext.Current.CancellationToken)).ToArray();
        await Task.WhenAll(writers).WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
        await stop.CancelAsync();
        await taker.WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
        foreach (var s in _state.TakeChangedAps())
        {
            lastPushed[s.ApId] = s.Sample.Clients5g;
        }
        foreach (var current in _state.Snapshot(T0).Aps)
        {
            Assert.Equal(current.Sample.Clients5g, lastPushed[current.ApId]);
        }
        Assert.Equal(aps.Length, lastPushed.Count);
    }

    [Fact]
    public void Apply_OlderReadingAfterNewer_DoesNotReplaceCurrentState()
    {
        _state.Apply(new ApReading(Civic, Ap, new ApSample(T0.AddMinutes(5), ApStatus.Up, Clients5g: 50)), T0);
        _state.TakeChangedAps();
        _state.Apply(new ApReading(Civic, Ap, new ApSample(T0, ApStatus.Up, Clients5g: 1)), T0);
        Assert.Empty(_state.TakeChangedAps());
        Assert.Equal(50, Assert.Single(_state.Snapshot(T0).Aps).Sample.Clients5g);
    }

    [Fact]
    public void Apply_ShelterNearBoundary_KeepsLevelWithinDeadband()
    {
        Assert.Equal(CrowdingLevel.Available, _state.Apply(Report(T0, 29), T0).Level);
        Assert.Equal(CrowdingLevel.Available, _state.Apply(Report(T0.AddMinutes(1), 31), T0).Level);
        Assert.Equal(CrowdingLevel.SomewhatCrowded, _state.Apply(Report(T0.AddMinutes(2), 33), T0).Level);
        var (pct, level) = _state.Apply(Report(T0.AddMinutes(3), 29), T0);
        Assert.Equal(29, pct);
        Assert.Equal(CrowdingLevel.SomewhatCrowded, level);
    }

    [Fact]
    public void Apply_StaffMarkFull_IsFullAtAnyCount() =>
        Assert.Equal(CrowdingLevel.Full, _state.Apply(Report(T0, 10, accepting: false), T0).Level);

    [Fact]
    public void Apply_ReplayedOldShelterReport_ClassifiedOnItsOwnAndNotShownAsCurrent()
    {
        _state.Apply(Report(T0.AddHours(1), 90), T0);
        var (_, level) = _state.Apply(Report(T0, 10), T0);
        Assert.Equal(CrowdingLevel.Available, level);
        Assert.Equal(90, Assert.Single(_state.Snapshot(T0).Shelters).Report.Occupancy);
    }
}
