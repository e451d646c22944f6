using FacilityHub.Contracts.Live;
using FacilityHub.Dashboard.Live;
using static FacilityHub.Dashboard.Tests.Support.States;

namespace FacilityHub.Dashboard.Tests.Live;

public sealed class LiveStateTests
{
    [Fact]
    public void ApplyAps_SameDeviceTwice_KeepsLatestPush()
    {
        var state = new LiveState();

        state.ApplyAps([Ap("ap-1", c2: 1)]);
        state.ApplyAps([Ap("ap-1", c2: 7), Ap("ap-2")]);

        Assert.Equal(2, state.Aps.Count);
        Assert.Equal(7, state.Aps.Single(a => a.ApId == "ap-1").Sample.Clients2g);
    }

    [Fact]
    public void ApplySnapshot_NoPushSinceMark_ReplacesEverything()
    {
        var state = new LiveState();
        state.ApplyShelters([Shelter("shl-a", 10, 100), Shelter("shl-gone", 5, 100)]);

        var mark = state.Mark();
        state.ApplySnapshot(Snapshot(shelters: [Shelter("shl-a", 42, 100), Shelter("shl-b", 1, 100)]), mark);

        Assert.Equal(["shl-a", "shl-b"], state.Shelters.Select(s => s.ShelterId).Order());
        Assert.Equal(42, state.Shelters.Single(s => s.ShelterId == "shl-a").Report.Occupancy);
    }

    [Fact]
    public void ApplySnapshot_PushArrivedAfterMark_KeepsThePush()
    {
        var state = new LiveState();
        state.ApplyShelters([Shelter("shl-a", 10, 100)]);

        var mark = state.Mark();
        state.ApplyShelters([Shelter("shl-a", 60, 100)]);
        state.ApplySnapshot(Snapshot(shelters: [Shelter("shl-a", 50, 100)]), mark);

        Assert.Equal(60, state.Shelters.Single().Report.Occupancy);
    }

    [Fact]
    public void ApplySnapshot_DevicePushedAfterMarkButMissingFromSnapshot_IsKept()
    {
        var state = new LiveState();

        var mark = state.Mark();
        state.ApplyWeather([Station("wx-new")]);
        state.ApplySnapshot(Snapshot(), mark);

        Assert.Equal("wx-new", Assert.Single(state.Weather).StationId);
    }

    [Fact]
    public void ApplySnapshot_LaterSnapshot_ReplacesEarlierSnapshot()
    {
        var state = new LiveState();
        state.ApplySnapshot(Snapshot(aps: [Ap("ap-1", c2: 1)]), state.Mark());

        state.ApplySnapshot(Snapshot(aps: [Ap("ap-1", c2: 2)]), state.Mark());

        Assert.Equal(2, Assert.Single(state.Aps).Sample.Clients2g);
    }

    [Fact]
    public void ApplySnapshot_AllFourKinds_AreLoaded()
    {
        var state = new LiveState();

        state.ApplySnapshot(Snapshot([Ap("ap-1")], [Shelter("shl-a", 1, 10)], [Station("wx-1")], [Agent("edge-1")]), state.Mark());

        Assert.Single(state.Aps);
        Assert.Single(state.Shelters);
        Assert.Single(state.Weather);
        Assert.Single(state.Agents);
    }

    [Fact]
    public void ApplyAps_EntryWithoutIdOrSample_IsSkipped()
    {
        var state = new LiveState();
        var noId = Ap("x") with { ApId = null! };
        var noSample = Ap("y") with { Sample = null! };

        state.ApplyAps([noId, noSample, null!, Ap("ap-ok")]);

        Assert.Equal("ap-ok", Assert.Single(state.Aps).ApId);
    }

    [Fact]
    public void ApplySnapshot_NullLists_LeaveStateEmpty()
    {
        var state = new LiveState();
        state.ApplyAps([Ap("ap-1")]);

        state.ApplySnapshot(new LiveSnapshot(T0, null!, null!, null!, null!), state.Mark());

        Assert.Empty(state.Aps);
    }
}
